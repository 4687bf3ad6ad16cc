package dev.corral.cli;

import dev.corral.host.StandardStreams;
import dev.corral.policy.RunOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code corral run [OPTIONS] [AGENT] [-- ARGS...]}. */
@Command(name = "run", description = "Run an agent or a command in a sandbox of the workspace.")
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-w", "--workspace"}, paramLabel = "DIR", description = "The workspace (default: the current folder).")
    String workspace;

    @Option(names = "--name", paramLabel = "NAME", description = "Sandbox name (default: <agent>-<workspace folder>).")
    String name;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", description = "Set an environment variable inside.")
    List<String> env = new ArrayList<>();

    @Option(names = {"-v", "--volume"}, paramLabel = "HOST[:SANDBOX][:ro]", description = "Mount a host path inside.")
    List<String> volumes = new ArrayList<>();

    @Option(names = "--memory", paramLabel = "SIZE", description = "Memory limit, e.g. 2g.")
    String memory;

    @Option(names = "--cpus", paramLabel = "N", description = "CPU limit, e.g. 1.5.")
    String cpus;

    @Option(names = "--pids", paramLabel = "N", description = "Process limit.")
    String pids;

    @Option(names = "--backend", paramLabel = "native", description = "Sandbox backend (native).")
    String backend;

    @Parameters(paramLabel = "[AGENT] [-- ARGS]", description = "The agent (default shell), then its arguments or the command after --.")
    List<String> positionals = new ArrayList<>();

    @Override
    public Integer call() {
        PositionalSplit split = PositionalSplit.of(spec, positionals);
        if (split.beforeDashes().size() > 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "unexpected arguments " + split.beforeDashes().subList(1, split.beforeDashes().size())
                            + " (put the command after --, e.g. corral run -- npm test)");
        }
        Optional<String> agent = split.beforeDashes().stream().findFirst();
        List<String> argv = split.afterDashes();
        if (agent.isPresent() && !agent.get().equals("shell")) {
            // agents other than the shell are resolved (and refused or started) by the policy layer
        } else if (agent.isPresent() && !argv.isEmpty()) {
            argv = prepend("/bin/bash", argv);
        }
        RunOptions options = new RunOptions(agent, Optional.ofNullable(workspace), Optional.ofNullable(name), env, volumes,
                Optional.ofNullable(memory), Optional.ofNullable(cpus), Optional.ofNullable(pids), Optional.ofNullable(backend));
        boolean interactive = StandardStreams.isTerminal(0) && StandardStreams.isTerminal(1);
        return Services.corral().run(options, argv, interactive, Notices::print);
    }

    private static List<String> prepend(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }
}
