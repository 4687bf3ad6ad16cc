package dev.corral.backend.docker;

import dev.corral.backend.docker.engine.Engine;
import dev.corral.backend.docker.engine.EngineAddress;
import dev.corral.backend.docker.engine.EngineException;
import dev.corral.backend.docker.engine.EngineStream;
import dev.corral.backend.docker.engine.StreamFrames;
import dev.corral.backend.linux.EffectiveLimits;
import dev.corral.backend.linux.MountPoints;
import dev.corral.backend.linux.MountTargets;
import dev.corral.backend.linux.Protection;
import dev.corral.backend.linux.Terminal;
import dev.corral.backend.linux.WorkspaceGuard;
import dev.corral.backend.linux.seccomp.Architecture;
import dev.corral.git.EmbeddedRepositories;
import dev.corral.host.Identity;
import dev.corral.host.MountTable;
import dev.corral.host.Processes;
import dev.corral.host.cgroup.Confinement;
import dev.corral.host.cgroup.LimitWatch;
import dev.corral.host.cgroup.ProcessCgroups;
import dev.corral.host.terminal.PtyBridge;
import dev.corral.agents.AgentCache;
import dev.corral.image.AgentImage;
import dev.corral.image.CorralImages;
import dev.corral.policy.EnvironmentPolicy;
import dev.corral.sandbox.Backend;
import dev.corral.sandbox.Command;
import dev.corral.sandbox.NetworkAccess;
import dev.corral.sandbox.RuntimeState;
import dev.corral.sandbox.SandboxException;
import dev.corral.sandbox.SandboxName;
import dev.corral.sandbox.SandboxSpec;
import dev.corral.sandbox.Volume;
import dev.corral.support.Futures;
import dev.corral.support.ShutdownHooks;
import dev.corral.support.Trace;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The Docker backend: the same sandbox as a container on a Docker or Podman engine, through the
 * Engine API on its Unix socket. The supervisor (this process) keeps its part as for a native
 * sandbox — the proxy, the lock, the terminal — and the engine runs the rest.
 */
public final class DockerBackend implements Backend {
    private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(5);
    private final Identity identity;
    private final Map<String, String> hostEnv;
    private final DockerNames names;
    private CompletableFuture<Engine> engine;

    public DockerBackend(Identity identity, Map<String, String> hostEnv, Path corralData) {
        this.identity = identity;
        this.hostEnv = hostEnv;
        this.names = DockerNames.forData(corralData);
    }

    /** Connects to the engine while the request is worked out. */
    @Override
    public synchronized void prefetch() {
        if (engine == null) {
            EngineAddress address = EngineAddress.fromEnvironment(hostEnv);
            engine = CompletableFuture.supplyAsync(() -> Engine.connect(address), task -> Thread.ofPlatform().daemon(true).start(task));
        }
    }

    /** The engine, connected (and its API version agreed) once. */
    public Engine engine() {
        prefetch();
        return Futures.join(engine);
    }

    @Override
    public int run(Launch launch) {
        SandboxSpec spec = launch.spec();
        Trace.mark("docker run");
        Engine engine = engine();
        Optional<Volume> agentInstall = agentInstall(launch);
        String image = image(engine, spec, agentInstall);
        // an agent's own image has its install inside, at the path the host's would be mounted
        boolean agentInImage = agentInstall.isPresent() && image.equals(agentImage(spec, agentInstall.get()));
        List<Volume> agentMounts = agentInImage
                ? launch.agent().mounts().stream().filter(v -> !agentInstall.get().equals(v)).toList()
                : launch.agent().mounts();
        spec.container().runtime().ifPresent(runtime -> requireRuntime(engine, runtime));
        String container = names.container(spec.name());
        String home = ensureHome(engine, spec.name(), image);
        EmbeddedRepositories.quarantine(spec.workspace()).forEach(launch.listener()::notice);
        List<Volume> mounts = new ArrayList<>(spec.volumes());
        mounts.addAll(agentMounts);
        boolean recursiveReadOnly = engine.speaks(1, 44);
        if (!recursiveReadOnly) mounts.stream().filter(Volume::readOnly).forEach(DockerBackend::requireNoMountsUnder);
        MountTargets.prepare(List.of(new MountTargets.Base(spec.workspace(), spec.workspace())), mounts);
        // last before the container: the scan makes the protections' mount points, which the engine binds as they are
        List<Protection> protections = WorkspaceGuard.scan(spec.workspace(), WorkspaceGuard.userGitConfigs(identity, hostEnv));
        try (ContainerPorts ports = ContainerPorts.bind(spec.network().published());
             Terminal terminal = Terminal.open(launch.command())) {
            EffectiveLimits limits = EffectiveLimits.of(spec.limits());
            long tmp = limits.tmpBytes();
            ContainerInput input = new ContainerInput(spec, identity, image, home, names.labels(spec.name(), "sandbox"), environment(launch),
                    launch.command().program(), launch.command().interactive(), tmp, SeccompProfile.json(Architecture.current()),
                    Optional.of(launch.network()), agentMounts, protections, spec.container().runtime(), agentInImage, recursiveReadOnly);
            String id = create(engine, container, ContainerPlanner.plan(input));
            ContainerTeardown teardown = new ContainerTeardown(engine, id, Protection.temporaryPaths(protections),
                    () -> EmbeddedRepositories.quarantine(spec.workspace()).forEach(launch.listener()::notice));
            Thread hook = ShutdownHooks.add(teardown, "corral-stop-container");
            try (ContainerWatchdog watchdog = ContainerWatchdog.start(engine.address(), id)) {
                return supervise(engine, id, terminal, ports, limits, launch.listener());
            } finally {
                teardown.run();
                ShutdownHooks.remove(hook);
            }
        } catch (RuntimeException e) {
            MountPoints.removeCreated(Protection.temporaryPaths(protections));
            throw e;
        }
    }

    /** Creates the container; one of the same name that a supervisor killed outright left behind is removed first (we hold the sandbox's lock). */
    private static String create(Engine engine, String name, Map<String, Object> config) {
        try {
            return engine.createContainer(name, config);
        } catch (EngineException e) {
            if (e.status() != 409) throw e;
            engine.removeContainer(name);
            return engine.createContainer(name, config);
        }
    }

    /**
     * Attaches before the start (so no output is missed), starts the container, reports it up and
     * relays its streams until it ends; its exit status.
     */
    private int supervise(Engine engine, String id, Terminal terminal, ContainerPorts ports, EffectiveLimits limits, Listener listener) {
        try (EngineStream stream = engine.attach(id, true)) {
            Trace.mark("created");
            Relay relay = Relay.start(stream, terminal, size -> engine.resizeContainer(id, size.rows(), size.cols()));
            engine.startContainer(id);
            Trace.mark("started");
            ports.connect(engine, id, identity.uid() + ":" + identity.gid());
            // its init and cgroups when the engine runs on this kernel: for what ls shows it uses, and the
            // limit hits to report (exec goes through the engine); an engine in a VM has neither to give
            java.util.OptionalLong initPid = initPid(engine, id);
            long pid = initPid.orElse(ProcessHandle.current().pid());
            List<Path> cgroups = initPid.isPresent() ? ProcessCgroups.procsFiles(pid) : List.of();
            listener.started(new Started(pid, Processes.startTicks(pid).orElse(0), cgroups.stream().map(Path::toString).toList()));
            int status;
            Confinement.LimitEvents events;
            try (LimitWatch watch = LimitWatch.start(cgroups)) {
                status = engine.waitContainer(id);
                events = watch.events();
            }
            relay.awaitOutput();
            terminal.drain();
            reportLimits(engine, id, events, limits, listener);
            terminal.finish(status);
            relay.close();
            return status;
        }
    }

    @Override
    public int exec(Launch launch, RuntimeState.Supervisor running) {
        SandboxSpec spec = launch.spec();
        Engine engine = engine();
        String container = names.container(spec.name());
        Optional<Map<String, Object>> state = engine.inspectContainer(container);
        if (state.isEmpty() || !(state.get().get("State") instanceof Map<?, ?> s) || !Boolean.TRUE.equals(s.get("Running"))) {
            throw new SandboxException("sandbox " + spec.name() + " is not running any more", "start it with: corral run --name " + spec.name());
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("AttachStdin", true);
        config.put("AttachStdout", true);
        config.put("AttachStderr", true);
        config.put("Tty", launch.command().interactive());
        config.put("Cmd", launch.command().program());
        config.put("Env", environment(launch).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        config.put("WorkingDir", spec.workspace().toString());
        config.put("User", identity.uid() + ":" + identity.gid());
        String exec = engine.createExec(container, config);
        try (Terminal terminal = Terminal.open(launch.command().interactive());
             EngineStream stream = engine.startExec(exec, launch.command().interactive())) {
            Relay relay = Relay.start(stream, terminal, size -> engine.resizeExec(exec, size.rows(), size.cols()));
            relay.awaitOutput();
            terminal.drain();
            relay.close();
            for (int tries = 0; tries < 200; tries++) {
                Optional<Integer> code = engine.execExitCode(exec);
                if (code.isPresent()) return code.get();
                sleep(10);
            }
            throw new SandboxException("the command in sandbox " + spec.name() + " did not report how it ended", "see the engine's log");
        }
    }

    /**
     * Removes the sandbox's containers and its home volume from the engine; an engine that can't be
     * reached doesn't stop the removal of the rest, and the user is told what is left.
     */
    @Override
    public void remove(SandboxSpec spec, java.util.function.Consumer<String> notices) {
        try {
            Engine engine = engine();
            for (Map<String, Object> container : engine.containers(names.selector(spec.name()))) {
                engine.removeContainer(String.valueOf(container.get("Id")));
            }
            for (String volume : engine.volumes(names.selector(spec.name()))) engine.removeVolume(volume);
        } catch (EngineException e) {
            notices.accept("could not remove sandbox " + spec.name() + "'s home volume from the engine (" + e.getMessage()
                    + "); once it runs: docker volume rm " + names.homeVolume(spec.name()));
        }
    }

    /**
     * An engine older than API 1.44 makes only the top of a read-only bind read-only: a mount under
     * its source would be writable inside. Refused, where natively all of it is read-only.
     */
    private static void requireNoMountsUnder(Volume volume) {
        Path source;
        try {
            source = volume.hostPath().toRealPath();
        } catch (java.io.IOException e) {
            return; // the engine says what is missing
        }
        List<Path> under = MountTable.mountsUnder(source);
        if (!under.isEmpty()) {
            throw new SandboxException("the read-only volume " + volume.spec() + " has mounts under it (" + under.getFirst()
                    + "), which this engine can't make read-only as well",
                    "mount them on their own with -v ...:ro, or use an engine with API 1.44 or newer (Docker 25+)");
        }
    }

    /** The agent's install from the host, as the launch mounts it (its folder is named after the version). */
    private static Optional<Volume> agentInstall(Launch launch) {
        String inside = AgentCache.sandboxDir(launch.spec().agent());
        return launch.agent().mounts().stream().filter(v -> v.sandboxPath().toString().equals(inside)).findFirst();
    }

    private static String agentImage(SandboxSpec spec, Volume install) {
        return AgentImage.reference(spec.agent(), install.hostPath().getFileName().toString());
    }

    /**
     * The image to run: the one {@code --image} names; else the agent's own image of the installed
     * version when {@code corral image build AGENT} made it; else Corral's base, the install
     * mounted from the host.
     */
    private static String image(Engine engine, SandboxSpec spec, Optional<Volume> agentInstall) {
        if (spec.container().image().isPresent()) {
            String image = spec.container().image().get();
            if (engine.inspectImage(image).isEmpty()) {
                throw new EngineException("image " + image + " is not in the engine at " + engine.address(),
                        "load or build it first (docker images lists what the engine has), or leave --image out for Corral's own");
            }
            return image;
        }
        if (agentInstall.isPresent()) {
            String agentImage = agentImage(spec, agentInstall.get());
            if (engine.inspectImage(agentImage).isPresent()) return agentImage;
        }
        String base = CorralImages.base();
        if (engine.inspectImage(base).isEmpty()) {
            throw new EngineException("Corral's image " + base + " is not in the engine at " + engine.address(),
                    "build it with: corral image build" + (agentInstall.isPresent() ? " " + spec.agent() : ""));
        }
        return base;
    }

    private static void requireRuntime(Engine engine, String runtime) {
        List<String> known = engine.runtimes();
        if (!known.contains(runtime)) {
            throw new EngineException("the engine at " + engine.address() + " has no runtime '" + runtime + "' (it has: " + String.join(", ", known) + ")",
                    "install it and register it with the engine (\"runtimes\" in /etc/docker/daemon.json), then restart the engine");
        }
    }

    /**
     * The sandbox's home, a named volume kept between runs. A new one belongs to root; a short-lived
     * container with no capability but CHOWN gives it to the invoking user.
     */
    private String ensureHome(Engine engine, SandboxName name, String image) {
        String volume = names.homeVolume(name);
        if (engine.inspectVolume(volume).isPresent()) return volume;
        engine.createVolume(volume, names.labels(name, "home"));
        if (identity.isRoot()) return volume;
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("Image", image);
        config.put("User", "0:0");
        config.put("Entrypoint", List.of("/bin/chown"));
        config.put("Cmd", List.of(identity.uid() + ":" + identity.gid(), "/home-volume"));
        config.put("Labels", names.labels(name, "setup"));
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("NetworkMode", "none");
        host.put("LogConfig", ContainerPlanner.NO_LOG);
        host.put("CapDrop", List.of("ALL"));
        host.put("CapAdd", List.of("CHOWN"));
        host.put("SecurityOpt", List.of("no-new-privileges"));
        host.put("ReadonlyRootfs", true);
        host.put("Mounts", List.of(Map.of("Type", "volume", "Source", volume, "Target", "/home-volume")));
        config.put("HostConfig", host);
        String id = engine.createContainer(names.container(name) + "-setup", config);
        try {
            engine.startContainer(id);
            int status = engine.waitContainer(id);
            if (status != 0) {
                engine.removeVolume(volume);
                throw new EngineException("could not give the sandbox's home volume to uid " + identity.uid() + " (chown exited with " + status + ")",
                        "check that image " + image + " has /bin/chown");
            }
        } finally {
            engine.removeContainer(id);
        }
        return volume;
    }

    private static java.util.OptionalLong initPid(Engine engine, String id) {
        Object state = engine.inspectContainer(id).map(c -> c.get("State")).orElse(null);
        if (state instanceof Map<?, ?> map && map.get("Pid") instanceof Number pid && pid.longValue() > 0
                && Processes.startTicks(pid.longValue()).isPresent()) {
            return java.util.OptionalLong.of(pid.longValue());
        }
        return java.util.OptionalLong.empty();
    }

    /**
     * The limits hit, from the container's cgroups as they were watched, and the engine's word for
     * the memory limit (an out-of-memory kill just before the end may have gone with the cgroup; an
     * engine in a VM has no cgroups to watch).
     */
    private static void reportLimits(Engine engine, String id, Confinement.LimitEvents events, EffectiveLimits limits, Listener listener) {
        Object state = engine.inspectContainer(id).map(c -> c.get("State")).orElse(null);
        boolean oomKilled = state instanceof Map<?, ?> map && Boolean.TRUE.equals(map.get("OOMKilled"));
        limits.report(new Confinement.LimitEvents(Math.max(events.oomKills(), oomKilled ? 1 : 0), events.pidsLimitHits()), listener);
    }

    private Map<String, String> environment(Launch launch) {
        return EnvironmentPolicy.sandboxEnvironment(hostEnv, launch.addedEnvironment(), launch.spec().env(), identity, launch.spec().name());
    }


    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }


    /**
     * Carries a container process's streams: through Corral's pseudo-terminal when it has a
     * terminal (so the user's relay or the detached console work as for native), else straight
     * between the caller's standard streams and the engine's frames.
     */
    private static final class Relay implements AutoCloseable {
        private final Thread output;
        private final PtyBridge bridge;

        private Relay(Thread output, PtyBridge bridge) {
            this.output = output;
            this.bridge = bridge;
        }

        static Relay start(EngineStream stream, Terminal terminal, java.util.function.Consumer<dev.corral.host.terminal.WindowSize> resize) {
            if (terminal.pty().isPresent()) {
                return new Relay(null, PtyBridge.start(terminal.pty().get(), stream.input(), stream.output(), resize));
            }
            Thread.ofPlatform().daemon(true).name("corral-stdin").start(() -> copyInput(stream));
            Thread output = Thread.ofPlatform().daemon(true).name("corral-stdout").start(() -> copyOutput(stream));
            return new Relay(output, null);
        }

        private static void copyInput(EngineStream stream) {
            try {
                new FileInputStream(FileDescriptor.in).transferTo(stream.output());
            } catch (IOException ignored) {
                // the process is gone, or our input broke: either way it ends here
            }
            stream.closeInput();
        }

        private static void copyOutput(EngineStream stream) {
            OutputStream out = new FileOutputStream(FileDescriptor.out);
            OutputStream err = new FileOutputStream(FileDescriptor.err);
            try {
                InputStream in = stream.input();
                StreamFrames.copy(in, out, err);
            } catch (IOException ignored) {
                // the connection closed
            }
        }

        void awaitOutput() {
            if (bridge != null) {
                bridge.awaitOutput(OUTPUT_DRAIN);
                return;
            }
            try {
                output.join(OUTPUT_DRAIN);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            if (bridge != null) bridge.close();
        }
    }
}
