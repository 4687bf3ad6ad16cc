package dev.corral.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code corral} command: only dispatches to its subcommands. */
@Command(name = "corral", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Run coding agents with full autonomy in a sandbox that protects everything but the workspace.",
        subcommands = {RunCommand.class, ExecCommand.class, LsCommand.class, InspectCommand.class, StopCommand.class,
                RmCommand.class, DoctorCommand.class, VersionCommand.class},
        exitCodeOnInvalidInput = ExitCodes.CORRAL_FAILURE, exitCodeOnExecutionException = ExitCodes.CORRAL_FAILURE)
public final class CorralCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of Corral's own errors.")
    boolean debug;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
