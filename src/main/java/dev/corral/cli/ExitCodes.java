package dev.corral.cli;

/** Exit statuses of the command-line contract. */
final class ExitCodes {
    /** Corral itself could not do what was asked. */
    static final int CORRAL_FAILURE = 125;

    private ExitCodes() {
    }
}
