package dev.corral.cli;

/** One-line messages from Corral to the user, on stderr, apart from the sandbox's own output. */
final class Notices {
    private Notices() {
    }

    static void print(String line) {
        System.err.println("corral: " + line);
    }
}
