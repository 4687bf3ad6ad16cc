package dev.corral.app;

import dev.corral.agents.AgentCache;
import dev.corral.agents.AgentException;
import dev.corral.agents.AgentProfile;
import dev.corral.agents.AgentProfiles;
import dev.corral.agents.HostAgent;
import dev.corral.git.GitIdentity;
import dev.corral.policy.NetworkRule;
import dev.corral.policy.RunOptions;
import dev.corral.sandbox.AgentSetup;
import dev.corral.policy.UserConfig;
import dev.corral.sandbox.NetworkAccess;
import dev.corral.net.tls.CertificateAuthority;
import dev.corral.secrets.SecretStore;
import dev.corral.policy.SpecResolver;
import dev.corral.host.FolderLocks;
import dev.corral.host.cgroup.CgroupUsage;
import dev.corral.host.terminal.ConsoleClient;
import dev.corral.host.terminal.ConsoleLog;
import dev.corral.host.terminal.DetachKeys;
import dev.corral.sandbox.Backend;
import dev.corral.sandbox.Command;
import dev.corral.sandbox.CorralPaths;
import dev.corral.sandbox.RuntimeState;
import dev.corral.sandbox.SandboxException;
import dev.corral.sandbox.SandboxName;
import dev.corral.sandbox.SandboxRecord;
import dev.corral.sandbox.SandboxSpec;
import dev.corral.sandbox.SandboxStore;
import dev.corral.sandbox.Status;
import dev.corral.support.Trace;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The operations of the command line, one method each: resolve the request, act through the
 * store, the runtime state and the backend, and report back. Printing is the caller's.
 */
public final class CorralService {
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration START_GRACE = Duration.ofSeconds(30);
    private final CorralPaths paths;
    private final SandboxStore store;
    private final RuntimeState runtime;
    private final SpecResolver.Context context;
    private final Function<String, Backend> backends;
    private final AgentProfiles profiles;
    private final SandboxBranches branches;

    public CorralService(CorralPaths paths, SpecResolver.Context context, Function<String, Backend> backends) {
        this.paths = paths;
        this.store = new SandboxStore(paths);
        this.runtime = new RuntimeState(paths);
        this.context = context;
        this.backends = backends;
        this.profiles = new AgentProfiles(AgentProfiles.userDir(paths.config()));
        this.branches = new SandboxBranches(paths);
    }

    /**
     * Runs the sandbox the options name (creating or updating it); its exit status. With an agent
     * named (or none and no command), {@code args} go to the sandbox's agent; otherwise they are
     * the command.
     */
    public int run(RunOptions options, List<String> args, boolean interactive, Consumer<String> notices) {
        return run(options, args, interactive, false, notices);
    }

    /**
     * Runs the sandbox as {@link #run} does, as the background supervisor of {@code run -d}: the
     * sandbox's terminal is kept here (for {@code attach} and {@code logs}), and once it is up the
     * user's {@code run -d} is told and returns.
     */
    public int runDetached(RunOptions options, List<String> args, Consumer<String> notices) {
        return run(options, args, true, true, notices);
    }

    private int run(RunOptions options, List<String> args, boolean interactive, boolean detached, Consumer<String> notices) {
        Trace.mark("service run");
        backends.apply(options.backend().orElse(SpecResolver.NATIVE)).prefetch();
        SandboxNetwork.prefetch();
        CompletableFuture<Map<String, String>> gitIdentity = GitIdentity.read(context.hostEnv());
        SecretStore secrets = secrets();
        Supplier<CertificateAuthority> ca = SandboxNetwork.loadCa(paths, !secrets.entries().isEmpty());
        if (options.agent().isPresent() && !options.agent().get().equals(AgentProfiles.SHELL)) profiles.get(options.agent().get());
        UserConfig config = config();
        SandboxBranches.Prepared branch = branches.prepare(options, context.cwd(), store::find);
        Launching launching = new Launching(branch, args, interactive, detached, notices, secrets, ca, gitIdentity, config);
        try {
            return launch(launching);
        } catch (RuntimeException e) {
            if (!launching.started[0]) branch.created().ifPresent(branches::undo); // nothing half-created is left
            throw e;
        }
    }

    /** One run being launched: what the request and the prefetching gave, and whether the sandbox got up. */
    private record Launching(SandboxBranches.Prepared branch, List<String> args, boolean interactive, boolean detached,
                             Consumer<String> notices, SecretStore secrets, Supplier<CertificateAuthority> ca,
                             CompletableFuture<Map<String, String>> gitIdentity, UserConfig config, boolean[] started) {
        Launching(SandboxBranches.Prepared branch, List<String> args, boolean interactive, boolean detached, Consumer<String> notices,
                  SecretStore secrets, Supplier<CertificateAuthority> ca, CompletableFuture<Map<String, String>> gitIdentity,
                  UserConfig config) {
            this(branch, args, interactive, detached, notices, secrets, ca, gitIdentity, config, new boolean[1]);
        }
    }

    private int launch(Launching launching) {
        SandboxBranches.Prepared branch = launching.branch();
        List<String> args = launching.args();
        boolean interactive = launching.interactive();
        boolean detached = launching.detached();
        Consumer<String> notices = launching.notices();
        SecretStore secrets = launching.secrets();
        Supplier<CertificateAuthority> ca = launching.ca();
        CompletableFuture<Map<String, String>> gitIdentity = launching.gitIdentity();
        UserConfig config = launching.config();
        boolean[] started = launching.started();
        RunOptions options = branch.options();
        SpecResolver.Resolution resolution = SpecResolver.resolve(options, context.alsoApartFrom(agentCacheDir(config)), store::find,
                config.defaultBackend());
        Trace.mark("resolved");
        SandboxSpec spec = branch.created().isPresent() ? resolution.spec().withWorktree(branch.created().get()) : resolution.spec();
        Backend backend = backends.apply(spec.backend());
        Optional<AgentProfile> profile = spec.agent().equals(AgentProfiles.SHELL) ? Optional.empty() : Optional.of(profiles.get(spec.agent()));
        Optional<AgentLaunch.Program> program = profile.isPresent() ? Optional.of(program(profile.get(), spec, backend, config, notices))
                : Optional.empty();
        try (RuntimeState.Claim claim = claimAlone(spec)) {
            Optional<SandboxRecord> existing = store.find(spec.name());
            SandboxRecord record = existing.map(r -> r.withSpec(spec)).orElseGet(() -> new SandboxRecord(spec, Instant.now(), Optional.empty()))
                    .startedAt(Instant.now());
            store.save(record);
            Trace.mark("saved");
            if (existing.isPresent() && !existing.get().spec().backend().equals(spec.backend())) {
                // what the old backend kept outside Corral's folders (a Docker home volume) would outlive rm otherwise
                backends.apply(existing.get().spec().backend()).remove(existing.get().spec(), notices);
            }
            Backend.Listener listener = new Backend.Listener() {
                @Override
                public void started(Backend.Started s) {
                    started[0] = true;
                    store.clearExit(spec.name());
                    if (!resolution.changes().isEmpty()) {
                        notices.accept("updated sandbox " + spec.name() + ": " + String.join("; ", resolution.changes()));
                    }
                    if (options.workspace().isEmpty() && !context.cwd().startsWith(spec.workspace())) {
                        notices.accept("sandbox " + spec.name() + " works in " + spec.workspace()
                                + ", not in the current folder (change it with -w)");
                    }
                    claim.record(new RuntimeState.Supervisor(ProcessHandle.current().pid(), s.initPid(), s.initStartTicks(),
                            Instant.now(), s.cgroupProcs()));
                    if (detached) DetachedRun.ready(spec.name().value(), store.supervisorLog(spec.name()));
                }

                @Override
                public void notice(String line) {
                    notices.accept(line);
                }
            };
            Path runtimeDir = paths.runtimeDir(spec.name());
            AgentSetup agent = AgentSetup.NONE;
            List<String> argv = args;
            if (profile.isPresent()) {
                boolean toAgent = options.agent().isPresent() || args.isEmpty();
                AgentLaunch launch = AgentLaunch.of(new AgentLaunch.Request(profile.get(), program.orElseThrow(), context.identity(),
                        agentVolume(spec.agent()), store.home(spec.name()), spec.agentSettings().hostCredentials(),
                        sshAgent(options, notices), toAgent ? args : List.of()), notices);
                agent = launch.setup();
                if (toAgent) argv = launch.argv();
            }
                agent = withGitIdentity(agent, gitIdentity).withMounts(branches.mounts(spec));
                Supplier<List<NetworkRule>> agentRules = new Supplier<>() { // a class: a lambda costs a bootstrap at start
                    @Override
                    public List<NetworkRule> get() {
                        return AgentLaunch.rulesFor(spec, profiles);
                    }
                };
            Optional<Command.Console> console = detached
                    ? Optional.of(new Command.Console(runtimeDir.resolve("console.sock"), store.consoleLog(spec.name())))
                    : Optional.empty();
            try (SandboxNetwork network = SandboxNetwork.start(spec, runtimeDir, store, ca, secrets, config, agentRules,
                    profile.isPresent() ? Optional.of(profile.get().secrets()) : Optional.empty(), notices)) {
                Trace.mark("proxy up");
                Backend.Launch launch = new Backend.Launch(spec, new Command(argv, interactive, console), store.home(spec.name()),
                        runtimeDir, listener, network.access(), agent);
                LaunchEnvironmentFile.write(runtimeDir, launch.addedEnvironment()); // what exec gives its commands
                int status = backend.run(launch);
                store.recordExit(spec.name(), new SandboxStore.Exit(status, Instant.now()));
                branches.sync(spec, notices);
                return status;
            } catch (RuntimeException e) {
                if (!started[0]) existing.ifPresentOrElse(store::save, () -> store.delete(spec.name()));
                throw e;
            }
        }
    }

    /** The agent's program: the user's own, or the cache's (installed now if it is the first use). */
    private AgentLaunch.Program program(AgentProfile profile, SandboxSpec spec, Backend backend, UserConfig config, Consumer<String> notices) {
        if (spec.agentSettings().fromHost() || profile.install().registry() == AgentProfile.Registry.HOST) {
            return new AgentLaunch.Host(HostAgent.find(profile, context.hostEnv(), context.identity().home()));
        }
        // agents are installed on the host, in a native install sandbox, whatever the sandbox runs on
        AgentInstaller installer = new AgentInstaller(new AgentCache(agentCacheDir(config)), paths, backends.apply(SpecResolver.NATIVE),
                context.hostEnv(), config);
        return new AgentLaunch.Cached(installer.ensure(profile, spec.agentSettings().version(), notices));
    }

    private Optional<Path> sshAgent(RunOptions options, Consumer<String> notices) {
        if (!options.agentOptions().sshAgent()) return Optional.empty();
        String socket = context.hostEnv().get("SSH_AUTH_SOCK");
        if (socket == null || socket.isBlank() || !Path.of(socket).isAbsolute()) {
            throw new AgentException("--ssh-agent: no SSH agent is running here (SSH_AUTH_SOCK is not set)",
                    "start one (eval $(ssh-agent); ssh-add), or use HTTPS with the github secret instead");
        }
        Path path = Path.of(socket);
        if (!java.nio.file.Files.exists(path)) {
            throw new AgentException("--ssh-agent: SSH_AUTH_SOCK names " + path + ", which does not exist", "start the SSH agent again");
        }
        return Optional.of(path);
    }

    private static AgentSetup withGitIdentity(AgentSetup agent, CompletableFuture<Map<String, String>> gitIdentity) {
        Map<String, String> identity = gitIdentity.join();
        if (identity.isEmpty()) return agent;
        Map<String, String> env = new LinkedHashMap<>(identity);
        env.putAll(agent.environment());
        return new AgentSetup(agent.mounts(), env);
    }

    /** The agent's volume: its login and settings, shared by its sandboxes. */
    private Path agentVolume(String agent) {
        return paths.data().resolve("volumes").resolve("agent-" + agent);
    }

    private Path agentCacheDir(UserConfig config) {
        return AgentCache.rootFor(paths.data(), config.agentCache());
    }

    /** Runs a command inside a running sandbox; its exit status. */
    public int exec(SandboxName name, List<String> argv, boolean interactive) {
        SandboxRecord record = store.get(name);
        RuntimeState.Supervisor running = awaitSupervisor(name).orElseThrow(() -> new SandboxException(
                "sandbox " + name + " is not running", "start it with: corral run --name " + name + " -- CMD"));
        Backend backend = backends.apply(record.spec().backend());
        Path runtimeDir = paths.runtimeDir(name);
        NetworkAccess network = new NetworkAccess(runtimeDir.resolve("net"), LaunchEnvironmentFile.read(runtimeDir));
        return backend.exec(new Backend.Launch(record.spec(), new Command(argv, interactive), store.home(name),
                runtimeDir.resolve("exec"), Backend.Listener.SILENT, network), running);
    }

    /** The running sandbox's supervisor; a sandbox that is still starting is waited for a little. */
    private Optional<RuntimeState.Supervisor> awaitSupervisor(SandboxName name) {
        long deadline = System.nanoTime() + START_GRACE.toNanos();
        while (true) {
            Optional<RuntimeState.Supervisor> supervisor = runtime.supervisor(name);
            if (supervisor.isPresent() || !runtime.isRunning(name) || System.nanoTime() > deadline) return supervisor;
            sleep(20);
        }
    }

    private SecretStore secrets() {
        return SecretStore.open(paths, context.hostEnv());
    }

    private UserConfig config() {
        return UserConfig.load(paths.config());
    }

    public List<SandboxView> list() {
        List<SandboxView> views = new ArrayList<>();
        for (SandboxName name : store.names()) {
            try {
                views.add(view(name));
            } catch (SandboxException e) {
                // unreadable state shows up in inspect; ls lists what it can
            }
        }
        return views;
    }

    public SandboxView inspect(SandboxName name) {
        return view(name);
    }

    /**
     * Stops a running sandbox: asks its supervisor to end it, then forces it; a branch sandbox's
     * commits are then brought into the user's repository. False if it was not running.
     */
    public boolean stop(SandboxName name) {
        store.get(name);
        Optional<RuntimeState.Supervisor> supervisor = awaitSupervisor(name);
        if (supervisor.isEmpty()) return false;
        Optional<ProcessHandle> handle = ProcessHandle.of(supervisor.get().supervisorPid());
        handle.ifPresent(ProcessHandle::destroy);
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        while (runtime.isRunning(name) && System.nanoTime() < deadline) sleep(20);
        if (runtime.isRunning(name)) {
            handle.ifPresent(ProcessHandle::destroyForcibly);
            while (runtime.isRunning(name) && System.nanoTime() < deadline + STOP_GRACE.toNanos()) sleep(20);
        }
        if (runtime.isRunning(name)) {
            throw new SandboxException("sandbox " + name + " did not stop", "kill its supervisor: kill -9 " + supervisor.get().supervisorPid());
        }
        store.clearExit(name); // stopped, not ended by itself (its command died of the stop's signal)
        branches.sync(store.get(name).spec(), IGNORED); // a branch sandbox's commits, now that nothing can change them
        return true;
    }

    private static final Consumer<String> IGNORED = line -> { };

    /**
     * Removes a sandbox, its settings and its home, and a branch sandbox's checkout and (once merged,
     * or with {@code force}) its branch; a running one, or one with work that would be lost, only
     * with {@code force}.
     */
    public void remove(SandboxName name, boolean force, Consumer<String> notices) {
        SandboxRecord record = store.get(name);
        if (runtime.isRunning(name)) {
            if (!force) {
                throw new SandboxException("sandbox " + name + " is running", "stop it first (corral stop " + name + ") or use corral rm -f " + name);
            }
            stop(name);
        }
        branches.remove(record.spec(), force).forEach(notices);
        backends.apply(record.spec().backend()).remove(record.spec(), notices);
        store.delete(name);
        runtime.forget(name);
    }

    /**
     * Connects this terminal to a detached sandbox's until it ends (its exit status) or the user
     * detaches (0, and it keeps running).
     */
    public int attach(SandboxName name, Optional<String> detachKeys, Consumer<String> notices) {
        store.get(name);
        DetachKeys keys = detachKeys.map(DetachKeys::parse).orElse(DetachKeys.DEFAULT);
        awaitSupervisor(name).orElseThrow(() -> new SandboxException("sandbox " + name + " is not running",
                "start it in the background with: corral run -d --name " + name));
        Path socket = paths.runtimeDir(name).resolve("console.sock");
        if (!java.nio.file.Files.exists(socket)) {
            throw new SandboxException("sandbox " + name + " was not started with -d: its terminal is the one that started it",
                    "run commands in it with: corral exec -it " + name + " -- CMD");
        }
        ConsoleClient.Outcome outcome = ConsoleClient.attach(socket, keys);
        return switch (outcome) {
            case ConsoleClient.Outcome.Detached d -> {
                notices.accept("detached from " + name + "; it keeps running (corral attach " + name + " to return)");
                yield 0;
            }
            case ConsoleClient.Outcome.Exited exited -> exited.status();
            case ConsoleClient.Outcome.Lost lost -> throw new SandboxException("lost the connection to sandbox " + name
                    + " (its supervisor ended without an exit status)", "see corral ls and corral logs " + name);
        };
    }

    /** Prints what a detached sandbox wrote to its terminal; with {@code follow}, until it stops. */
    public void logs(SandboxName name, boolean follow, java.util.OptionalInt tail, java.io.OutputStream out) {
        store.get(name);
        Path log = store.consoleLog(name);
        if (!java.nio.file.Files.exists(log) && !runtime.isRunning(name)) {
            throw new SandboxException("sandbox " + name + " has no logs: only a sandbox started with -d keeps its output",
                    "start it in the background with: corral run -d --name " + name);
        }
        try {
            if (follow) {
                ConsoleLog.follow(log, out, tail, () -> runtime.isRunning(name));
            } else {
                ConsoleLog.print(log, out, tail);
            }
            out.flush();
        } catch (java.io.IOException e) {
            throw new SandboxException("cannot read the logs of " + name + ": " + e.getMessage(), "check that " + log + " is readable", e);
        }
    }

    private SandboxView view(SandboxName name) {
        SandboxRecord record = store.get(name);
        Optional<RuntimeState.Supervisor> supervisor = runtime.supervisor(name);
        boolean running = runtime.isRunning(name);
        Status status = running ? Status.RUNNING : record.lastStarted().isPresent() ? Status.STOPPED : Status.CREATED;
        Optional<CgroupUsage.Usage> usage = supervisor.map(s -> CgroupUsage.read(s.cgroupProcs().stream().map(Path::of).toList()));
        return new SandboxView(record, status, supervisor, running ? Optional.empty() : store.lastExit(name), usage,
                branches.changedFiles(record.spec()));
    }

    /**
     * Claims the sandbox, but only while no other running sandbox can write where this one's
     * workspace is: a sandbox running on the same (or an enclosing, or an enclosed) folder could
     * swap paths between this launch's protection scan and bubblewrap's mounts.
     */
    private RuntimeState.Claim claimAlone(SandboxSpec spec) {
        try (AutoCloseable ignored = runtime.startLock()) {
            for (SandboxName other : runtime.runningNames()) {
                if (other.equals(spec.name())) continue;
                Optional<SandboxRecord> record = store.find(other);
                if (record.isPresent() && overlaps(writablePaths(record.get().spec()), writablePaths(spec))) {
                    throw new SandboxException("the workspace " + spec.workspace() + " is in use by the running sandbox " + other,
                            "work in that sandbox with: corral exec " + other + " -- CMD, or stop it first: corral stop " + other);
                }
            }
            RuntimeState.Claim claim = runtime.claim(spec.name());
            Optional<FolderLocks> locks = FolderLocks.tryAcquire(writablePaths(spec));
            if (locks.isEmpty()) {
                claim.close();
                throw new SandboxException("the workspace " + spec.workspace()
                        + " is in use by another running sandbox (one started with other settings or by another user)",
                        "find it with corral ls (as that user), or stop it first");
            }
            return claim.holding(locks.get());
        } catch (SandboxException e) {
            throw e;
        } catch (Exception e) {
            throw new SandboxException("cannot start sandbox " + spec.name() + ": " + e.getMessage(), null, e);
        }
    }

    private static List<Path> writablePaths(SandboxSpec spec) {
        List<Path> paths = new ArrayList<>(List.of(spec.workspace()));
        spec.volumes().stream().filter(v -> !v.readOnly()).forEach(v -> paths.add(v.hostPath()));
        return paths;
    }

    private static boolean overlaps(List<Path> a, List<Path> b) {
        for (Path x : a) {
            for (Path y : b) {
                if (x.startsWith(y) || y.startsWith(x)) return true;
            }
        }
        return false;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
