package dev.corral.cli;

import dev.corral.host.StandardStreams;
import dev.corral.sandbox.SandboxName;

import java.util.ArrayList;
import java.util.List;

/** {@code corral exec [-it] NAME -- CMD...}. */
final class ExecCommand extends CliCommand {
    private static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.flag("Keep stdin open (accepted for Docker compatibility; it always is).", "-i", "--interactive"),
            OptionSpec.flag("Give the command a terminal (when stdin and stdout are terminals, the default).", "-t", "--tty"));

    ExecCommand() {
        super("exec", "Run a command inside a running sandbox.",
                "[-it] NAME -- CMD...", OPTIONS);
    }

    @Override
    int run(ParsedArgs args) {
        if (args.positionals().isEmpty()) throw new UsageException(name(), "missing the sandbox NAME");
        List<String> argv = new ArrayList<>(args.positionals().subList(1, args.positionals().size()));
        argv.addAll(args.afterDashes());
        if (argv.isEmpty()) throw new UsageException(name(), "missing the command (corral exec NAME -- CMD...)");
        boolean terminal = StandardStreams.isTerminal(0) && StandardStreams.isTerminal(1);
        return Services.corral().exec(new SandboxName(args.positionals().getFirst()), argv, terminal);
    }
}
