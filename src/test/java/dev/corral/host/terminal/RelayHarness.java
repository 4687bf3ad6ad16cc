package dev.corral.host.terminal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;

/**
 * Plays the supervisor for {@link TerminalRelayTest}, in a JVM of its own whose terminal is a pty
 * the test drives: runs {@code bash -c ARG} in a second pty behind a {@link TerminalRelay} on this
 * JVM's descriptors 0 and 1, and exits with the script's status. With a second argument
 * {@code read-after}, it then reads a line from its own stdin, as a supervisor asking a question would.
 */
public final class RelayHarness {
    private RelayHarness() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("HARNESS " + ProcessHandle.current().pid());
        int status;
        boolean flushed;
        try (Pty pty = Pty.open(); TerminalRelay relay = TerminalRelay.start(pty)) {
            Process sandbox = Sessions.bash(pty, args[0]); // after the relay, as the supervisor does
            status = sandbox.waitFor();
            flushed = relay.awaitOutput(Duration.ofSeconds(5));
        }
        System.out.println("EXIT " + status + (flushed ? " FLUSHED" : " NOT-FLUSHED"));
        if (args.length > 1 && args[1].equals("read-after")) {
            System.out.println("PROMPT");
            System.out.println("AFTER:" + new BufferedReader(new InputStreamReader(System.in)).readLine());
        }
        System.exit(status);
    }
}
