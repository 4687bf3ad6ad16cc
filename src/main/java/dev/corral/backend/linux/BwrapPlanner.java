package dev.corral.backend.linux;

import dev.corral.host.DeviceNodes;
import dev.corral.sandbox.NetworkAccess;
import dev.corral.sandbox.SandboxSpec;
import dev.corral.sandbox.Volume;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Compiles a sandbox into bubblewrap's arguments: a pure function of its input, so every rule of
 * the threat model can be checked here without root, a kernel or bubblewrap.
 *
 * <p>The view inside: the system directories read-only; fresh /proc (kernel knobs read-only, leaky
 * files masked) and a minimal read-only /dev with a size-limited /dev/shm; a private size-limited /tmp; the sandbox's own home at the
 * user's home path; the workspace read-write at its own path, with what the host would execute
 * later protected; everything else (the user's home, /run, /var, other projects) absent. The root
 * itself is read-only, so nothing can be written outside those places.
 */
public final class BwrapPlanner {
    private BwrapPlanner() {
    }

    public static LaunchPlan plan(PlanInput in) {
        SandboxSpec spec = in.spec();
        Args args = new Args();
        args.add("--unshare-user", "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup");
        args.add("--uid", Long.toString(in.identity().uid()), "--gid", Long.toString(in.identity().gid()));
        args.add("--hostname", spec.name().value());
        args.add("--die-with-parent", "--cap-drop", "ALL");
        args.add("--json-status-fd", Integer.toString(LaunchPlan.STATUS_FD));
        args.add("--seccomp", Integer.toString(LaunchPlan.SECCOMP_FD));
        args.add("--clearenv");
        new TreeMap<>(in.environment()).forEach((key, value) -> args.add("--setenv", key, value));

        systemView(in, Math.max(1L << 20, in.tmpBytes() / 4), args);
        args.add("--perms", "1777", "--size", Long.toString(in.tmpBytes()), "--tmpfs", "/tmp");
        args.add("--dir", "/run", "--dir", "/var", "--symlink", "../tmp", "/var/tmp");
        in.network().ifPresent(net -> args.add("--ro-bind", net.hostDir().toString(), NetworkAccess.SANDBOX_DIR));
        args.add("--bind", in.home().toString(), in.identity().home().toString());
        args.add("--bind", spec.workspace().toString(), spec.workspace().toString());
        for (Volume volume : spec.volumes()) {
            args.add(volume.readOnly() ? "--ro-bind" : "--bind", volume.hostPath().toString(), volume.sandboxPath().toString());
        }
        for (Volume volume : in.agentMounts()) {
            args.add(volume.readOnly() ? "--ro-bind" : "--bind", volume.hostPath().toString(), volume.sandboxPath().toString());
        }
        List<Path> created = protect(in.protections(), args);
        args.add("--remount-ro", "/");
        args.add("--chdir", spec.workspace().toString());
        List<String> command = in.ownTerminal()
                ? onOwnTerminal(in.layout().setsid().orElseThrow(() -> new IllegalStateException("setsid is required for a terminal")), in.command())
                : in.command();
        if (in.network().isPresent()) {
            Path socat = in.layout().socat().orElseThrow(() -> new IllegalStateException("socat is required for the network"));
            command = ProxyForwarder.wrap(socat.toString(), in.network().get(), command);
        }
        return new LaunchPlan(args.list, command, in.seccomp(), created);
    }

    /**
     * The command as the leader of a new session whose controlling terminal is its standard input
     * (the sandbox's own pseudo-terminal): Ctrl-C then reaches its foreground job and nothing else.
     */
    static List<String> onOwnTerminal(Path setsid, List<String> command) {
        List<String> all = new ArrayList<>(List.of(setsid.toString(), "--ctty", "--wait", "--"));
        all.addAll(command);
        return all;
    }

    private static void systemView(PlanInput in, long shmBytes, Args args) {
        HostLayout layout = in.layout();
        for (HostLayout.SystemEntry entry : layout.systemEntries()) {
            String path = entry.path().toString();
            if (entry.symlinkTarget().isPresent()) {
                args.add("--symlink", entry.symlinkTarget().get().toString(), path);
            } else {
                args.add("--ro-bind", path, path);
            }
        }
        args.add("--proc", "/proc");
        // bubblewrap skips /proc/sys when the directory itself looks read-only (mode 0555), yet
        // the host's uid 0 may write most files below it: bind every kernel knob read-only.
        for (Path knobs : layout.procReadOnly()) args.add("--ro-bind", knobs.toString(), knobs.toString());
        args.add("--dev", "/dev");
        in.devices().ifPresent(dir -> {
            for (DeviceNodes.Device device : DeviceNodes.DEVICES) {
                args.add("--dev-bind", dir.resolve(device.name()).toString(), "/dev/" + device.name());
            }
        });
        // POSIX shared memory gets its own size-limited tmpfs; the rest of /dev is read-only
        args.add("--perms", "1777", "--size", Long.toString(shmBytes), "--tmpfs", "/dev/shm", "--remount-ro", "/dev");
        for (Path mask : layout.procMasks()) args.add("--ro-bind", "/dev/null", mask.toString());
        for (Path secret : layout.secretFiles()) args.add("--ro-bind", "/dev/null", secret.toString());
        for (Path secret : layout.secretDirs()) {
            args.add("--perms", "0000", "--tmpfs", secret.toString(), "--remount-ro", secret.toString());
        }
    }

    /** Emits the workspace protections, parents first; returns the mount points created for the run. */
    private static List<Path> protect(List<Protection> protections, Args args) {
        List<Path> created = new ArrayList<>();
        List<Protection> ordered = new ArrayList<>(protections);
        ordered.sort(BY_DEPTH);
        for (Protection p : ordered) {
            String path = p.path().toString();
            switch (p.kind()) {
                case PINNED -> args.add("--bind", path, path);
                case READ_ONLY -> args.add("--ro-bind", path, path);
                case PLACEHOLDER -> {
                    args.add("--ro-bind", path, path);
                    created.add(p.path());
                }
                case EMPTY -> {
                    args.add("--perms", "0555", "--tmpfs", path, "--remount-ro", path);
                    created.add(p.path());
                }
            }
        }
        return created;
    }

    /** Parents before children: a class rather than a lambda, which would cost a bootstrap at start. */
    private static final Comparator<Protection> BY_DEPTH = new Comparator<>() {
        @Override
        public int compare(Protection a, Protection b) {
            return Integer.compare(a.path().getNameCount(), b.path().getNameCount());
        }
    };

    private static final class Args {
        final List<String> list = new ArrayList<>();

        void add(String... values) {
            list.addAll(List.of(values));
        }
    }
}
