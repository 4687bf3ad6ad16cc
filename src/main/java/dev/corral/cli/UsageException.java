package dev.corral.cli;

/** The command line itself is wrong: an unknown option, a missing value, a stray argument. */
final class UsageException extends RuntimeException {
    private final String command;

    UsageException(String command, String message) {
        super(message);
        this.command = command;
    }

    /** The command whose help explains the right usage, e.g. "run". */
    String command() {
        return command;
    }
}
