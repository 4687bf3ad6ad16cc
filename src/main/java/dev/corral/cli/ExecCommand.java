package dev.corral.cli;

import dev.corral.host.StandardStreams;
import dev.corral.sandbox.SandboxName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code corral exec [-it] NAME -- CMD...}. */
@Command(name = "exec", description = "Run a command inside a running sandbox.")
final class ExecCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-i", "--interactive"}, description = "Keep stdin open (accepted for Docker compatibility).")
    boolean interactive;

    @Option(names = {"-t", "--tty"}, description = "Give the command a terminal (default when stdin and stdout are terminals).")
    boolean tty;

    @Parameters(paramLabel = "NAME -- CMD", description = "The sandbox, then the command after --.")
    List<String> positionals = new ArrayList<>();

    @Override
    public Integer call() {
        PositionalSplit split = PositionalSplit.of(spec, positionals);
        List<String> before = split.beforeDashes();
        List<String> argv = split.afterDashes();
        if (before.isEmpty()) throw new ParameterException(spec.commandLine(), "missing sandbox NAME");
        if (before.size() > 1) {
            argv = new ArrayList<>(before.subList(1, before.size()));
            argv.addAll(split.afterDashes());
        }
        SandboxName name = new SandboxName(before.getFirst());
        boolean terminal = (tty || StandardStreams.isTerminal(0)) && StandardStreams.isTerminal(0) && StandardStreams.isTerminal(1);
        return Services.corral().exec(name, argv, terminal);
    }
}
