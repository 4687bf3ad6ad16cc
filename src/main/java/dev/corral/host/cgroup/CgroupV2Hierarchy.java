package dev.corral.host.cgroup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The unified hierarchy, used directly: as root from its top, otherwise from a subtree delegated to
 * this user. Each run gets {@code <top>/corral/<sandbox>-<random>}.
 */
final class CgroupV2Hierarchy implements CgroupStrategy {

    /** A systemd user manager's own subtree: it belongs to systemd, which is reached through systemd-run. */
    private static final Pattern SYSTEMD_USER_MANAGER = Pattern.compile("user@\\d+\\.service");

    private final CgroupOs os;
    private final boolean fitsHost;
    private final Optional<Path> top;
    private final Set<Controller> controllers;
    private final Refusal unusable;

    private CgroupV2Hierarchy(CgroupOs os, boolean fitsHost, Optional<Path> top, Set<Controller> controllers,
                              Refusal unusable) {
        this.os = os;
        this.fitsHost = fitsHost;
        this.top = top;
        this.controllers = controllers;
        this.unusable = unusable;
    }

    static CgroupV2Hierarchy on(CgroupLayout layout, HostFacts facts, CgroupOs os) {
        if (layout.unified().isEmpty()) {
            return unusable(os, false, "no cgroup v2 hierarchy is mounted", "mount cgroup2 at /sys/fs/cgroup");
        }
        CgroupLayout.Mount unified = layout.unified().get();
        boolean fitsHost = layout.version().equals("v2")
                || !Controller.listedIn(ControlFiles.readOrEmpty(os, unified.path().resolve("cgroup.controllers"))).isEmpty();
        if (!fitsHost) {
            return unusable(os, false, "the cgroup v2 hierarchy at " + unified.path() + " has none of the memory, pids and cpu controllers",
                    "use the cgroup v1 hierarchies of this host, or boot with systemd.unified_cgroup_hierarchy=1");
        }
        if (!unified.writable()) {
            return unusable(os, fitsHost, "the cgroup v2 filesystem at " + unified.path() + " is mounted read-only",
                    "give Corral a writable cgroup filesystem (a container needs its own cgroup namespace), or run it on the host");
        }
        Optional<Path> top = facts.isRoot() ? Optional.of(unified.path())
                : delegatedSubtree(unified.path(), layout.ownUnifiedPath(), facts.euid(), os);
        if (top.isEmpty()) {
            return unusable(os, fitsHost, "this user has no delegated cgroup (cgroup v2, not root)",
                    "run as root, or use systemd user delegation (systemd-run --user works)");
        }
        Set<Controller> offered = Controller.listedIn(ControlFiles.readOrEmpty(os, top.get().resolve("cgroup.controllers")));
        return new CgroupV2Hierarchy(os, fitsHost, top, offered, null);
    }

    private static CgroupV2Hierarchy unusable(CgroupOs os, boolean fitsHost, String cause, String fix) {
        return new CgroupV2Hierarchy(os, fitsHost, Optional.empty(), EnumSet.noneOf(Controller.class), new Refusal(cause, fix));
    }

    /**
     * The topmost cgroup above this process's own that this user owns (directory, cgroup.procs and
     * cgroup.subtree_control), the way systemd and container managers delegate. Its own cgroup can't
     * serve: cgroup v2 gives controllers only to children of cgroups without processes.
     */
    static Optional<Path> delegatedSubtree(Path unified, Optional<String> ownPath, int euid, CgroupOs os) {
        if (ownPath.isEmpty() || ownPath.get().isEmpty() || euid < 0) return Optional.empty();
        Path top = null;
        for (Path dir = unified.resolve(ownPath.get()).getParent();
             dir != null && dir.startsWith(unified) && !dir.equals(unified); dir = dir.getParent()) {
            if (!ownedBy(dir, euid, os)) break;
            top = dir;
        }
        if (top == null || SYSTEMD_USER_MANAGER.matcher(top.getFileName().toString()).matches()) return Optional.empty();
        return Optional.of(top);
    }

    private static boolean ownedBy(Path dir, int euid, CgroupOs os) {
        try {
            return os.ownerUid(dir) == euid && os.ownerUid(dir.resolve("cgroup.procs")) == euid
                    && os.ownerUid(dir.resolve("cgroup.subtree_control")) == euid;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String id() {
        return "cgroupfs-v2";
    }

    @Override
    public boolean fitsHost() {
        return fitsHost;
    }

    @Override
    public boolean usable() {
        return top.isPresent();
    }

    @Override
    public Set<Controller> controllers() {
        return controllers;
    }

    @Override
    public Refusal refusal(Set<Controller> missing) {
        if (top.isEmpty()) return unusable;
        return new Refusal("the " + Controller.names(missing) + " controller is not available in the cgroup v2 hierarchy at "
                + top.get() + " (it offers " + Controller.names(controllers) + ")",
                "enable the controller for " + top.get() + " (or delegate it to this user), or drop " + Controller.flags(missing));
    }

    @Override
    public Confinement create(String instanceName, CgroupLimits limits) throws CgroupException {
        Path topDir = top.orElseThrow();
        Set<Controller> needed = Controller.neededFor(limits);
        Path parent = topDir.resolve(CgroupNames.PARENT);
        ControlFiles.enableForChildren(os, topDir, needed);
        ControlFiles.createIfAbsent(os, parent);
        StaleCgroups.sweep(os, parent);
        ControlFiles.enableForChildren(os, parent, needed);
        Path dir = parent.resolve(instanceName);
        ControlFiles.create(os, dir);
        CgroupDirectories confinement = CgroupDirectories.v2(os, dir);
        try {
            applyLimits(dir, limits);
        } catch (CgroupException e) {
            confinement.close();
            throw e;
        }
        return confinement;
    }

    private void applyLimits(Path dir, CgroupLimits limits) throws CgroupException {
        if (limits.memoryBytes().isPresent()) {
            ControlFiles.write(os, dir.resolve("memory.max"), Long.toString(limits.memoryBytes().getAsLong()));
            Path swapMax = dir.resolve("memory.swap.max");
            if (os.exists(swapMax)) ControlFiles.write(os, swapMax, "0");
        }
        if (limits.cpus().isPresent()) {
            ControlFiles.write(os, dir.resolve("cpu.max"),
                    ControlFiles.cpuQuotaUs(limits.cpus().getAsDouble()) + " " + ControlFiles.CPU_PERIOD_US);
        }
        if (limits.pids().isPresent()) {
            ControlFiles.write(os, dir.resolve("pids.max"), Long.toString(limits.pids().getAsLong()));
        }
    }
}
