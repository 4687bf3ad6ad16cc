package dev.corral.cli;

import dev.corral.host.StandardStreams;
import dev.corral.agents.AgentProfiles;
import dev.corral.app.DetachedRun;
import dev.corral.policy.RunOptions;
import dev.corral.sandbox.ContainerSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code corral run [OPTIONS] [AGENT] [-- ARGS...]}. */
final class RunCommand extends CliCommand {
    private static final List<OptionSpec> OPTIONS = List.of(
            OptionSpec.value("DIR", "The workspace (default: the current folder).", "-w", "--workspace"),
            OptionSpec.value("NAME", "Sandbox name (default: <agent>-<workspace folder>).", "--name"),
            OptionSpec.value("KEY=VALUE", "Set an environment variable inside (repeatable).", "-e", "--env"),
            OptionSpec.value("HOST[:SANDBOX][:ro]", "Mount a host path inside (repeatable).", "-v", "--volume"),
            OptionSpec.value("SIZE", "Memory limit, e.g. 2g.", "--memory"),
            OptionSpec.value("N", "CPU limit in CPUs, e.g. 1.5.", "--cpus"),
            OptionSpec.value("N", "Limit on processes and threads.", "--pids"),
            OptionSpec.value("deny-all|balanced|open", "Network preset (default: balanced).", "--network"),
            OptionSpec.value("HOST[:PORT]", "Allow a host; *.example.com for its subdomains (repeatable).", "--allow"),
            OptionSpec.value("HOST[:PORT]", "Deny a host; deny always wins (repeatable).", "--deny"),
            OptionSpec.value("[HOST_PORT:]PORT", "Reach a port of the sandbox at the host's 127.0.0.1 (repeatable).", "-p", "--publish"),
            OptionSpec.value("native|docker", "Where the sandbox runs: namespaces on this kernel (default) or a Docker/Podman engine.", "--backend"),
            OptionSpec.value("IMAGE", "Docker backend: an image the engine has (default: Corral's own, see corral image build).", "--image"),
            OptionSpec.value("NAME", "Docker backend: an OCI runtime the engine knows, e.g. runsc (gVisor) or kata-runtime.", "--runtime"),
            OptionSpec.value("VERSION", "The agent's version (installed on first use); 'newest' unpins.", "--agent-version"),
            OptionSpec.value("cache|host", "Run the agent Corral installs (default) or the one on your PATH.", "--agent-from"),
            OptionSpec.value("none|host", "Share the agent's login files from your home, read-only.", "--credentials"),
            OptionSpec.flag("Forward your SSH agent for this run (the sandbox can use its keys).", "--ssh-agent"),
            OptionSpec.value("NAME|auto", "Work on a new git branch, in a checkout of the repository of its own.", "--branch"),
            OptionSpec.flag("Run in the background; corral attach NAME reconnects, corral logs NAME shows its output.", "-d", "--detach"),
            OptionSpec.hidden(DetachedRun.SUPERVISOR_OPTION));

    RunCommand() {
        super("run", "Run an agent, a shell or a command in the workspace's sandbox.",
                "[OPTIONS] [AGENT] [-- ARGS...]", OPTIONS);
    }

    @Override
    int run(ParsedArgs args) {
        boolean supervisor = args.flag(DetachedRun.SUPERVISOR_OPTION);
        if (args.flag("--detach") && !supervisor) return detach(args);
        var corral = Services.corral(true);
        if (args.positionals().size() > 1) {
            throw new UsageException(name(), "unexpected arguments " + args.positionals().subList(1, args.positionals().size())
                    + " (put the command after --, e.g. corral run -- npm test)");
        }
        Optional<String> agent = args.positionals().stream().findFirst();
        List<String> argv = args.afterDashes();
        if (agent.filter(AgentProfiles.SHELL::equals).isPresent() && !argv.isEmpty()) {
            argv = new ArrayList<>(argv);
            argv.addFirst("/bin/bash");
        }
        RunOptions options = new RunOptions(agent, args.value("--workspace"), args.value("--name"), args.values("--env"),
                args.values("--volume"), args.value("--memory"), args.value("--cpus"), args.value("--pids"),
                args.value("--backend"), args.value("--network"), args.values("--allow"), args.values("--deny"),
                args.values("--publish"), new RunOptions.AgentOptions(args.value("--agent-version"), args.value("--agent-from"),
                args.value("--credentials"), args.flag("--ssh-agent")), args.value("--branch"),
                new ContainerSettings(args.value("--image"), args.value("--runtime")));
        if (supervisor) return corral.runDetached(options, argv, Notices::print);
        boolean interactive = StandardStreams.isTerminal(0) && StandardStreams.isTerminal(1);
        return corral.run(options, argv, interactive, Notices::print);
    }

    /** Starts the run again as a background supervisor; prints the sandbox's name once it is up. */
    private static int detach(ParsedArgs args) {
        DetachedRun.Started started = DetachedRun.start(args.given(), System.err::println);
        if (started.status() != 0) return started.status();
        System.out.println(started.sandboxName());
        Notices.print("sandbox " + started.sandboxName() + " runs in the background: corral attach " + started.sandboxName()
                + " (Ctrl-P Ctrl-Q detaches again), corral logs " + started.sandboxName() + ", corral stop " + started.sandboxName());
        return 0;
    }
}
