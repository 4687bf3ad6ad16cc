package dev.corral.cli;

import dev.corral.CorralException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * Turns every failure into one line on stderr, the cause and the fix, and exit status 125.
 * {@code --debug} (anywhere on the command line) adds the stack trace.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {
    private final boolean debug;
    private final PrintStream err = System.err;

    ErrorReporter(String[] args) {
        int end = Arrays.asList(args).indexOf("--");
        this.debug = Arrays.asList(args).subList(0, end < 0 ? args.length : end).contains("--debug");
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        if (e instanceof CorralException corral) {
            err.println("corral: " + corral.getMessage() + corral.fix().map(f -> "; " + f).orElse(""));
        } else {
            err.println("corral: internal error: " + e + "; rerun with --debug and report it");
        }
        if (debug) e.printStackTrace(err);
        return ExitCodes.CORRAL_FAILURE;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        String command = e.getCommandLine().getCommandName();
        String help = command.equals("corral") ? "corral --help" : "corral " + command + " --help";
        err.println("corral: " + e.getMessage() + "; see " + help);
        if (debug) e.printStackTrace(err);
        return ExitCodes.CORRAL_FAILURE;
    }
}
