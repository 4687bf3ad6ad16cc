package dev.corral.cli;

import picocli.CommandLine;

/** Corral's entry point: parses the command line and exits with the command's status. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static int execute(String[] args) {
        CommandLine commandLine = new CommandLine(new CorralCommand());
        ErrorReporter reporter = new ErrorReporter(args);
        commandLine.setExecutionExceptionHandler(reporter);
        commandLine.setParameterExceptionHandler(reporter);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine.execute(args);
    }
}
