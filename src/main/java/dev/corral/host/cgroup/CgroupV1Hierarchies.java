package dev.corral.host.cgroup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cgroup v1 hierarchies of the memory, pids and cpu controllers, used as root: each run gets
 * {@code <hierarchy>/corral/<sandbox>-<random>} in every one of them, whichever cgroup this process
 * itself is in.
 */
final class CgroupV1Hierarchies implements CgroupStrategy {

    private final CgroupOs os;
    private final boolean fitsHost;
    private final boolean root;
    private final Map<Controller, CgroupLayout.Mount> mounts;

    private CgroupV1Hierarchies(CgroupOs os, boolean fitsHost, boolean root, Map<Controller, CgroupLayout.Mount> mounts) {
        this.os = os;
        this.fitsHost = fitsHost;
        this.root = root;
        this.mounts = mounts;
    }

    static CgroupV1Hierarchies on(CgroupLayout layout, HostFacts facts, CgroupOs os) {
        return new CgroupV1Hierarchies(os, !layout.v1().isEmpty(), facts.isRoot(), layout.v1());
    }

    @Override
    public String id() {
        return "cgroupfs-v1";
    }

    @Override
    public boolean fitsHost() {
        return fitsHost;
    }

    @Override
    public boolean usable() {
        return root && !controllers().isEmpty();
    }

    @Override
    public Set<Controller> controllers() {
        Set<Controller> writable = EnumSet.noneOf(Controller.class);
        if (!root) return writable;
        mounts.forEach((controller, mount) -> {
            if (mount.writable()) writable.add(controller);
        });
        return writable;
    }

    @Override
    public Refusal refusal(Set<Controller> missing) {
        if (!fitsHost) {
            return new Refusal("no cgroup v1 hierarchy of memory, pids or cpu is mounted", "mount the cgroup filesystem");
        }
        if (!root) {
            return new Refusal("this user has no delegated cgroup (cgroup v1 host, not root)",
                    "run as root, or use a cgroup v2 host with systemd user delegation (systemd-run --user works)");
        }
        List<String> causes = new ArrayList<>();
        for (Controller controller : missing) {
            CgroupLayout.Mount mount = mounts.get(controller);
            causes.add(mount == null ? "the " + controller.kernelName() + " controller is not mounted (cgroup v1)"
                    : "the " + controller.kernelName() + " hierarchy at " + mount.path() + " is mounted read-only");
        }
        if (causes.isEmpty()) causes.add("no writable cgroup v1 hierarchy of memory, pids or cpu");
        return new Refusal(String.join("; ", causes),
                "mount the missing controllers read-write under /sys/fs/cgroup, or drop " + Controller.flags(missing));
    }

    /** Creates the cgroup in every hierarchy Corral can use, so killAll and events see the whole sandbox. */
    @Override
    public Confinement create(String instanceName, CgroupLimits limits) throws CgroupException {
        Map<Controller, Path> dirs = new EnumMap<>(Controller.class);
        Map<Path, Path> dirOfMount = new LinkedHashMap<>();
        try {
            for (Controller controller : controllers()) {
                Path mount = mounts.get(controller).path();
                if (!dirOfMount.containsKey(mount)) {
                    Path parent = mount.resolve(CgroupNames.PARENT);
                    ControlFiles.createIfAbsent(os, parent);
                    StaleCgroups.sweep(os, parent);
                    Path dir = parent.resolve(instanceName);
                    ControlFiles.create(os, dir);
                    dirOfMount.put(mount, dir);
                }
                dirs.put(controller, dirOfMount.get(mount));
            }
            applyLimits(dirs, limits);
        } catch (CgroupException e) {
            confinement(dirOfMount, dirs).close();
            throw e;
        }
        return confinement(dirOfMount, dirs);
    }

    private CgroupDirectories confinement(Map<Path, Path> dirOfMount, Map<Controller, Path> dirs) {
        return CgroupDirectories.v1(os, List.copyOf(dirOfMount.values()),
                Optional.ofNullable(dirs.get(Controller.MEMORY)), Optional.ofNullable(dirs.get(Controller.PIDS)));
    }

    /** memory.limit_in_bytes goes first: the kernel keeps memsw (memory + swap) at least as large. */
    private void applyLimits(Map<Controller, Path> dirs, CgroupLimits limits) throws CgroupException {
        if (limits.memoryBytes().isPresent()) {
            String bytes = Long.toString(limits.memoryBytes().getAsLong());
            Path dir = dirs.get(Controller.MEMORY);
            ControlFiles.write(os, dir.resolve("memory.limit_in_bytes"), bytes);
            Path memsw = dir.resolve("memory.memsw.limit_in_bytes");
            if (os.exists(memsw)) ControlFiles.write(os, memsw, bytes);
        }
        if (limits.pids().isPresent()) {
            ControlFiles.write(os, dirs.get(Controller.PIDS).resolve("pids.max"), Long.toString(limits.pids().getAsLong()));
        }
        if (limits.cpus().isPresent()) {
            Path dir = dirs.get(Controller.CPU);
            ControlFiles.write(os, dir.resolve("cpu.cfs_period_us"), Long.toString(ControlFiles.CPU_PERIOD_US));
            ControlFiles.write(os, dir.resolve("cpu.cfs_quota_us"),
                    Long.toString(ControlFiles.cpuQuotaUs(limits.cpus().getAsDouble())));
        }
    }
}
