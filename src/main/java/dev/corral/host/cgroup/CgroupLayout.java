package dev.corral.host.cgroup;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the cgroup hierarchies are mounted, read from /proc/self/mountinfo, and where this process
 * sits in the unified hierarchy, read from /proc/self/cgroup.
 *
 * @param unified        the cgroup2 mount, if any (/sys/fs/cgroup on v2 hosts, /sys/fs/cgroup/unified on hybrid ones)
 * @param v1             the cgroup v1 hierarchy of each controller Corral uses, by controller
 * @param anyV1          whether any cgroup v1 hierarchy is mounted at all (named ones included)
 * @param ownUnifiedPath this process's cgroup in the unified hierarchy, relative to its mount ("" for the root)
 */
record CgroupLayout(Optional<Mount> unified, Map<Controller, Mount> v1, boolean anyV1, Optional<String> ownUnifiedPath) {

    /** A mounted cgroup hierarchy. */
    record Mount(Path path, boolean writable) { }

    CgroupLayout {
        v1 = Map.copyOf(v1);
    }

    /** "v2", "hybrid", "v1", or "none". */
    String version() {
        if (unified.isPresent()) return anyV1 ? "hybrid" : "v2";
        return anyV1 ? "v1" : "none";
    }

    static CgroupLayout of(HostFacts facts) {
        Mount unified = null;
        Map<Controller, Mount> v1 = new EnumMap<>(Controller.class);
        boolean anyV1 = false;
        for (String line : facts.mountinfo().split("\n")) {
            int separator = line.indexOf(" - ");
            if (separator < 0) continue;
            String[] before = line.substring(0, separator).split(" ");
            String[] after = line.substring(separator + 3).split(" ");
            if (before.length < 6 || after.length < 3) continue;
            Path mountPoint = rebase(facts.cgroupRoot(), dev.corral.host.MountTable.unescape(before[4]));
            boolean writable = List.of(before[5].split(",")).contains("rw");
            if (after[0].equals("cgroup2") && unified == null) {
                unified = new Mount(mountPoint, writable);
            } else if (after[0].equals("cgroup")) {
                anyV1 = true;
                for (String option : after[2].split(",")) {
                    Optional<Controller> controller = Controller.named(option);
                    if (controller.isPresent()) v1.putIfAbsent(controller.get(), new Mount(mountPoint, writable));
                }
            }
        }
        return new CgroupLayout(Optional.ofNullable(unified), v1, anyV1, ownUnifiedPath(facts.selfCgroup()));
    }

    /** The "0::/path" line, if its path is a plain path inside the hierarchy (no "..", as seen from another namespace). */
    static Optional<String> ownUnifiedPath(String selfCgroup) {
        for (String line : selfCgroup.split("\n")) {
            if (!line.startsWith("0::/")) continue;
            String path = line.substring(4).strip();
            if (path.endsWith(" (deleted)")) return Optional.empty();
            for (String part : path.split("/")) {
                if (part.equals("..") || part.equals(".")) return Optional.empty();
            }
            return Optional.of(path.replaceAll("/+$", ""));
        }
        return Optional.empty();
    }

    /** Mount points under /sys/fs/cgroup are taken relative to the configured cgroup root. */
    private static Path rebase(Path cgroupRoot, String mountPoint) {
        Path path = Path.of(mountPoint);
        if (!path.startsWith(HostFacts.SYS_FS_CGROUP)) return path;
        return cgroupRoot.resolve(HostFacts.SYS_FS_CGROUP.relativize(path).toString());
    }
}
