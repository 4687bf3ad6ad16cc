package dev.corral.host.terminal;

import java.nio.file.Path;

/**
 * Plays {@code corral attach} for {@link ConsoleClientTest}, in a JVM of its own whose terminal is a
 * pty the test drives: attaches its descriptors 0 and 1 to the console at the socket ARG and prints
 * how the session ended.
 */
public final class AttachHarness {
    private AttachHarness() {
    }

    public static void main(String[] args) {
        System.out.println("HARNESS " + ProcessHandle.current().pid());
        ConsoleClient.Outcome outcome = ConsoleClient.attach(Path.of(args[0]), DetachKeys.DEFAULT);
        System.out.println("OUTCOME " + outcome);
        System.exit(0);
    }
}
