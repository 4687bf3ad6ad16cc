package dev.corral.cli;

import dev.corral.host.StandardStreams;

/** One-line messages from Corral to the user, on stderr, apart from the sandbox's own output. */
final class Notices {
    /**
     * On a terminal a line also returns the cursor to the start: while a sandbox's terminal is
     * relayed, the terminal is in raw mode, where a bare newline would leave a staircase.
     */
    private static final String END = StandardStreams.isTerminal(2) ? "\r\n" : "\n";

    private Notices() {
    }

    static void print(String line) {
        System.err.print("corral: " + line + END);
        System.err.flush();
    }
}
