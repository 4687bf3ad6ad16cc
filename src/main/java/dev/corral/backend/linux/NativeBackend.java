package dev.corral.backend.linux;

import dev.corral.backend.linux.seccomp.Architecture;
import dev.corral.backend.linux.seccomp.SeccompProgram;
import dev.corral.git.EmbeddedRepositories;
import dev.corral.host.DeviceNodes;
import dev.corral.host.Executables;
import dev.corral.host.HostException;
import dev.corral.host.Identity;
import dev.corral.host.Namespaces;
import dev.corral.host.Processes;
import dev.corral.host.SandboxProcess;
import dev.corral.host.cgroup.Cgroups;
import dev.corral.host.cgroup.Confinement;
import dev.corral.policy.EnvironmentPolicy;
import dev.corral.sandbox.Backend;
import dev.corral.sandbox.Command;
import dev.corral.sandbox.RuntimeState;
import dev.corral.sandbox.SandboxException;
import dev.corral.sandbox.SandboxSpec;
import dev.corral.sandbox.Volume;
import dev.corral.support.Futures;
import dev.corral.support.ShutdownHooks;
import dev.corral.support.Trace;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The Linux backend: bubblewrap from the distribution builds the namespaces and the mounts,
 * Corral's own seccomp program goes in on a descriptor, and the process joins its cgroup before
 * bubblewrap starts. {@code exec} enters the running sandbox's namespaces and starts a nested
 * bubblewrap there with the same seccomp program, environment and working folder.
 */
public final class NativeBackend implements Backend {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private final Identity identity;
    private final Map<String, String> hostEnv;
    private final Supplier<Cgroups> cgroups;
    private CompletableFuture<HostLayout> layout;
    private CompletableFuture<byte[]> seccomp;
    private CompletableFuture<Long> userTasks;

    /** @param cgroups the host's cgroups, looked up only when a launch needs them */
    public NativeBackend(Identity identity, Map<String, String> hostEnv, Supplier<Cgroups> cgroups) {
        this.identity = identity;
        this.hostEnv = hostEnv;
        this.cgroups = cgroups;
    }

    /**
     * Scans the host's layout (a walk of /etc for the root invoker) and compiles the seccomp
     * program while the request is resolved.
     */
    @Override
    public synchronized void prefetch() {
        if (layout == null) {
            boolean root = identity.isRoot();
            layout = CompletableFuture.supplyAsync(() -> HostLayout.scan(root), NativeBackend::daemon);
            seccomp = CompletableFuture.supplyAsync(() -> SeccompProgram.compile(Architecture.current()), NativeBackend::daemon);
            long uid = identity.uid();
            userTasks = root ? CompletableFuture.completedFuture(0L)
                    : CompletableFuture.supplyAsync(() -> Processes.tasksOf(uid), NativeBackend::daemon);
        }
    }

    private static void daemon(Runnable task) {
        Thread.ofPlatform().daemon(true).name("corral-prefetch").start(task);
    }

    private HostLayout layout() {
        prefetch();
        return Futures.join(layout);
    }

    private byte[] seccomp() {
        prefetch();
        return Futures.join(seccomp);
    }


    @Override
    public int run(Launch launch) {
        SandboxSpec spec = launch.spec();
        Trace.mark("backend run");
        Path bwrap = Executables.require("bwrap", "bubblewrap");
        Executables.require("socat", "socat"); // the forwarder to the sandbox's proxy: no network without it
        EffectiveLimits limits = EffectiveLimits.of(spec.limits());
        // what a run whose supervisor was killed outright left unchecked
        EmbeddedRepositories.quarantine(spec.workspace()).forEach(launch.listener()::notice);
        List<Protection> protections = WorkspaceGuard.scan(spec.workspace(), WorkspaceGuard.userGitConfigs(identity, hostEnv));
        List<Volume> mounts = new java.util.ArrayList<>(spec.volumes());
        mounts.addAll(launch.agent().mounts());
        MountTargets.prepare(List.of(new MountTargets.Base(identity.home(), launch.home()),
                new MountTargets.Base(spec.workspace(), spec.workspace())), mounts);
        try (Confinement confinement = limits.confine(cgroups.get(), spec);
             PortPublisher publisher = PortPublisher.bind(spec.network().published(), launch.runtimeDir());
             Terminal terminal = Terminal.open(launch.command())) {
            Trace.mark("confined");
            PlanInput input = new PlanInput(spec, identity, launch.home(), layout(), protections, environment(launch),
                    launch.command().program(), launch.command().interactive(), limits.tmpBytes(), seccomp(), privateDevices(launch),
                    Optional.of(launch.network()), launch.agent().mounts());
            LaunchPlan plan = BwrapPlanner.plan(input);
            Trace.mark("planned");
            SandboxProcess process = SandboxProcess.start(new SandboxProcess.Request(bwrap, plan.options(), plan.command(),
                    plan.seccomp(), confinement.procsFiles(), limits.launchPrefix(confinement, identity, () -> Futures.join(userTasks)), launch.runtimeDir(),
                    terminal.slave()));
            Teardown teardown = new Teardown(process, confinement, terminal, plan.temporaryPaths(),
                    () -> EmbeddedRepositories.quarantine(spec.workspace()).forEach(launch.listener()::notice));
            Thread hook = ShutdownHooks.add(teardown::run, "corral-stop-sandbox");
            try {
                Trace.mark("spawned");
                long initPid = awaitStart(process, terminal);
                Trace.mark("sandbox init up");
                publisher.connect(initPid);
                launch.listener().started(new Backend.Started(initPid, Processes.startTicks(initPid).orElse(0),
                        confinement.procsFiles().stream().map(Path::toString).toList()));
                int status = process.waitFor();
                Trace.mark("sandbox exited");
                terminal.drain();
                confinement.killAll();
                limits.report(confinement.events(), launch.listener());
                terminal.finish(status);
                return status;
            } finally {
                teardown.run();
                ShutdownHooks.remove(hook);
            }
        } catch (RuntimeException e) {
            MountPoints.removeCreated(Protection.temporaryPaths(protections)); // what the scan created for a launch that failed
            throw e;
        }
    }

    @Override
    public int exec(Launch launch, RuntimeState.Supervisor running) {
        SandboxSpec spec = launch.spec();
        if (!Processes.isSame(running.initPid(), running.initStartTicks())) {
            throw new SandboxException("sandbox " + spec.name() + " is not running any more", "start it with: corral run --name " + spec.name());
        }
        Path bwrap = Executables.require("bwrap", "bubblewrap");
        Path nsenter = Executables.require("nsenter", "util-linux");
        List<String> options = ExecPlanner.options(spec, identity, environment(launch));
        List<String> command = launch.command().interactive()
                ? BwrapPlanner.onOwnTerminal(Executables.require("setsid", "util-linux"), launch.command().program())
                : launch.command().program();
        try (Namespaces.Handle userNamespace = Namespaces.ownerOfNetworkNamespace(running.initPid());
             Terminal terminal = Terminal.open(launch.command().interactive())) {
            List<String> prefix = ExecPlanner.enter(nsenter, running.initPid(), userNamespace.path(), spec.workspace());
            List<Path> procs = running.cgroupProcs().stream().map(Path::of).toList();
            SandboxProcess process = SandboxProcess.start(new SandboxProcess.Request(bwrap, options, command, seccomp(), procs, prefix, launch.runtimeDir(), terminal.slave()));
            Thread hook = ShutdownHooks.add(process::kill, "corral-stop-exec");
            try {
                awaitStart(process, terminal);
                int status = process.waitFor();
                terminal.drain();
                return status;
            } finally {
                process.kill();
                ShutdownHooks.remove(hook);
            }
        }
    }

    private static long awaitStart(SandboxProcess process, Terminal terminal) {
        OptionalLong initPid = process.awaitInitPid(START_TIMEOUT);
        process.forgetLaunchFiles();
        if (initPid.isEmpty()) {
            process.kill();
            int status = process.waitFor();
            terminal.drain();
            throw new HostException("the sandbox could not be set up (bubblewrap exited with status " + status + ")",
                    "see bubblewrap's message above; corral doctor checks the prerequisites");
        }
        return initPid.getAsLong();
    }

    /**
     * Root's sandboxes get their own device files (see {@link DeviceNodes}), beside the sandbox's
     * home: on the same disk, which allows device files, and apart from every other sandbox's.
     */
    private Optional<Path> privateDevices(Launch launch) {
        if (!identity.isRoot()) return Optional.empty();
        return Optional.of(DeviceNodes.ensure(launch.home().resolveSibling("devices")));
    }


    private Map<String, String> environment(Launch launch) {
        return EnvironmentPolicy.sandboxEnvironment(hostEnv, launch.addedEnvironment(), launch.spec().env(), identity, launch.spec().name());
    }


}
