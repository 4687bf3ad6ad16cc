package dev.corral.backend.docker;

import dev.corral.backend.linux.EffectiveLimits;
import dev.corral.backend.linux.HostLayout;
import dev.corral.backend.linux.ProxyForwarder;
import dev.corral.backend.linux.Protection;
import dev.corral.sandbox.NetworkAccess;
import dev.corral.sandbox.SandboxSpec;
import dev.corral.sandbox.Volume;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compiles a sandbox into the Engine API's container configuration: a pure function of its
 * input, like the native backend's plan, so each rule of the threat model is checked here without
 * an engine.
 *
 * <p>The same view as native: the image's system read-only (the root filesystem is mounted
 * read-only), a private size-limited /tmp and /var/tmp, the sandbox's home (a named volume) at the
 * user's home path, the workspace read-write at its own path with what the host would execute
 * later protected, no network but loopback and the proxy's socket, all capabilities dropped,
 * no new privileges, Corral's seccomp rules, the invoking user's uid, and limits on memory, CPU
 * and processes. (The container's watchdog, which removes it when the supervisor goes away, is
 * the host's: {@link ContainerWatchdog}.)
 */
final class ContainerPlanner {
    /** The check for socat, then the forwarder: all of the sandbox's life. */
    static final String ENTRY = """
            command -v socat >/dev/null 2>&1 || { echo "corral: the image has no socat, which the sandbox's proxy forwarder needs; build one with: corral image build" >&2; exit 125; }
            exec "$@"
            """;
    /**
     * The engine keeps no log of what the sandbox writes: attached, its output reaches Corral; kept, it
     * would fill the engine's disk outside every limit (and hold what was typed at its terminal).
     */
    static final Map<String, Object> NO_LOG = Map.of("Type", "none", "Config", Map.of());

    /** The engine's own masks (replaced, not added to, when a container names its own). */
    static final List<String> ENGINE_MASKS = List.of("/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
            "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap");
    /** Files of a stock image that only root may read: masked like the host's are in a native sandbox. */
    static final List<String> IMAGE_SECRETS = List.of("/etc/.pwd.lock", "/etc/ssh");

    private ContainerPlanner() {
    }

    static Map<String, Object> plan(ContainerInput in) {
        SandboxSpec spec = in.spec();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("Image", in.image());
        config.put("Hostname", spec.name().value());
        config.put("User", in.identity().uid() + ":" + in.identity().gid());
        config.put("Env", new TreeMap<>(in.environment()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        config.put("Entrypoint", List.of("/bin/sh"));
        config.put("Cmd", command(in));
        config.put("WorkingDir", spec.workspace().toString());
        config.put("Tty", in.tty());
        config.put("OpenStdin", true);
        config.put("StdinOnce", true);
        config.put("AttachStdin", true);
        config.put("AttachStdout", true);
        config.put("AttachStderr", true);
        config.put("Labels", in.labels());
        config.put("StopSignal", "SIGTERM");
        config.put("HostConfig", hostConfig(in));
        return config;
    }

    private static List<String> command(ContainerInput in) {
        List<String> command = in.command();
        if (in.network().isPresent()) command = ProxyForwarder.wrap("socat", in.network().get(), command);
        List<String> all = new ArrayList<>(List.of("-c", ENTRY, "corral-entry"));
        all.addAll(command);
        return all;
    }

    private static Map<String, Object> hostConfig(ContainerInput in) {
        SandboxSpec spec = in.spec();
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("NetworkMode", "none");
        host.put("LogConfig", NO_LOG);
        host.put("Mounts", mounts(in));
        host.put("CapDrop", List.of("ALL"));
        host.put("SecurityOpt", List.of("no-new-privileges", "seccomp=" + in.seccomp()));
        host.put("ReadonlyRootfs", true);
        host.put("Privileged", false);
        host.put("Init", true);
        host.put("IpcMode", "private");
        host.put("CgroupnsMode", "private");
        host.put("ShmSize", Math.max(1L << 20, in.tmpBytes() / 4));
        spec.limits().memoryBytes().ifPresent(bytes -> {
            host.put("Memory", bytes);
            host.put("MemorySwap", bytes); // no swap on top: the limit is the limit
        });
        spec.limits().cpus().ifPresent(cpus -> host.put("NanoCpus", Math.round(cpus * 1e9)));
        host.put("PidsLimit", spec.limits().pids().orElse(EffectiveLimits.DEFAULT_PIDS));
        in.runtime().ifPresent(runtime -> host.put("Runtime", runtime));
        host.put("MaskedPaths", maskedPaths());
        return host;
    }

    /**
     * What the sandbox never sees, whatever the image holds: the engine's usual masks, the same
     * kernel files a native sandbox masks, the classic secrets of /etc, and /sys as a whole (a
     * native sandbox has none; an empty read-only folder takes its place).
     */
    static List<String> maskedPaths() {
        java.util.LinkedHashSet<String> masks = new java.util.LinkedHashSet<>(ENGINE_MASKS);
        masks.addAll(HostLayout.PROC_MASKS);
        masks.addAll(HostLayout.ALWAYS_SECRET);
        masks.addAll(IMAGE_SECRETS);
        masks.add("/sys");
        return List.copyOf(masks);
    }

    /** In the engine's order (it mounts parents before children), so any order is safe here. */
    private static List<Map<String, Object>> mounts(ContainerInput in) {
        SandboxSpec spec = in.spec();
        List<Map<String, Object>> mounts = new ArrayList<>();
        mounts.add(tmpfs("/tmp", in.tmpBytes(), 01777, false));
        mounts.add(tmpfs("/var/tmp", in.tmpBytes(), 01777, false));
        // as in a native sandbox, nothing of the image's /run and /var: Corral's folder and the agents' installs, and /var/tmp
        // (an agent's own image keeps its /run, which holds the install)
        if (!in.agentInImage()) mounts.add(tmpfs("/run", 1L << 20, 0755, true));
        mounts.add(tmpfs("/var", 1L << 20, 0755, true));
        in.network().ifPresent(net -> mounts.add(bind(net.hostDir().toString(), NetworkAccess.SANDBOX_DIR, true, in.recursiveReadOnly())));
        Map<String, Object> home = new LinkedHashMap<>();
        home.put("Type", "volume");
        home.put("Source", in.homeVolume());
        home.put("Target", in.identity().home().toString());
        mounts.add(home);
        mounts.add(bind(spec.workspace().toString(), spec.workspace().toString(), false, in.recursiveReadOnly()));
        List<Volume> volumes = new ArrayList<>(spec.volumes());
        volumes.addAll(in.agentMounts());
        for (Volume volume : volumes) {
            mounts.add(bind(volume.hostPath().toString(), volume.sandboxPath().toString(), volume.readOnly(), in.recursiveReadOnly()));
        }
        for (Protection p : in.protections()) {
            String path = p.path().toString();
            switch (p.kind()) {
                case PINNED -> mounts.add(bind(path, path, false, in.recursiveReadOnly()));
                case READ_ONLY, PLACEHOLDER -> mounts.add(bind(path, path, true, in.recursiveReadOnly()));
                case EMPTY -> mounts.add(tmpfs(path, 4096, 0555, true));
            }
        }
        return mounts;
    }

    private static Map<String, Object> bind(String source, String target, boolean readOnly, boolean recursive) {
        Map<String, Object> mount = new LinkedHashMap<>();
        mount.put("Type", "bind");
        mount.put("Source", source);
        mount.put("Target", target);
        mount.put("ReadOnly", readOnly);
        // read-only all the way down, as natively, where the engine can; elsewhere DockerBackend refuses a
        // read-only source with mounts under it
        mount.put("BindOptions", readOnly && recursive ? Map.of("Propagation", "rprivate", "ReadOnlyForceRecursive", true)
                : Map.of("Propagation", "rprivate"));
        return mount;
    }

    private static Map<String, Object> tmpfs(String target, long bytes, int mode, boolean readOnly) {
        Map<String, Object> mount = new LinkedHashMap<>();
        mount.put("Type", "tmpfs");
        mount.put("Target", target);
        mount.put("ReadOnly", readOnly);
        mount.put("TmpfsOptions", Map.of("SizeBytes", bytes, "Mode", mode));
        return mount;
    }
}
