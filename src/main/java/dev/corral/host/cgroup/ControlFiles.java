package dev.corral.host.cgroup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/** Reading and writing the kernel's cgroup control files. */
final class ControlFiles {

    /** The CPU bandwidth period, in microseconds, for cpu.max and cpu.cfs_period_us. */
    static final long CPU_PERIOD_US = 100_000;
    /** The kernel refuses quotas under 1 ms. */
    private static final long MIN_CPU_QUOTA_US = 1_000;

    private ControlFiles() { }

    /** The quota per {@link #CPU_PERIOD_US} that gives this many CPUs. */
    static long cpuQuotaUs(double cpus) {
        return Math.max(MIN_CPU_QUOTA_US, Math.round(cpus * CPU_PERIOD_US));
    }

    static void write(CgroupOs os, Path file, String value) throws CgroupException {
        try {
            os.write(file, value);
        } catch (IOException e) {
            throw new CgroupException("cannot write " + value + " to " + file + ": " + reason(e),
                    "check that this cgroup controller is enabled and that Corral may write to " + file.getParent(), e);
        }
    }

    /** Enables controllers for the children of {@code dir}, leaving those already enabled alone. */
    static void enableForChildren(CgroupOs os, Path dir, Set<Controller> controllers) throws CgroupException {
        Path subtreeControl = dir.resolve("cgroup.subtree_control");
        Set<Controller> enabled = Controller.listedIn(readOrEmpty(os, subtreeControl));
        for (Controller controller : Controller.missing(controllers, enabled)) {
            try {
                os.write(subtreeControl, "+" + controller.kernelName());
            } catch (IOException e) {
                throw new CgroupException("cannot enable the " + controller.kernelName() + " controller in " + dir
                        + ": " + reason(e), "run Corral from a cgroup that has no processes of its own in " + dir
                        + " (cgroup v2 allows controllers only there), or as root on the host", e);
            }
        }
    }

    static void createIfAbsent(CgroupOs os, Path dir) throws CgroupException {
        if (os.exists(dir)) return;
        try {
            os.createDirectory(dir);
        } catch (IOException e) {
            if (os.exists(dir)) return; // another supervisor made it first
            throw new CgroupException("cannot create the cgroup " + dir + ": " + reason(e),
                    "run as root, or give this user a delegated cgroup", e);
        }
    }

    static void create(CgroupOs os, Path dir) throws CgroupException {
        try {
            os.createDirectory(dir);
        } catch (IOException e) {
            throw new CgroupException("cannot create the cgroup " + dir + ": " + reason(e),
                    "run as root, or give this user a delegated cgroup", e);
        }
    }

    /** The value of {@code key} in a flat-keyed file such as memory.events ("oom_kill 3"); 0 if absent or unreadable. */
    static long counter(CgroupOs os, Optional<Path> file, String key) {
        if (file.isEmpty()) return 0;
        for (String line : readOrEmpty(os, file.get()).split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length == 2 && fields[0].equals(key)) {
                try {
                    return Long.parseLong(fields[1]);
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    /** The pids in a cgroup.procs file; none if it is gone. */
    static Set<Long> pids(CgroupOs os, Path procsFile) {
        Set<Long> pids = new LinkedHashSet<>();
        for (String line : readOrEmpty(os, procsFile).split("\n")) {
            String pid = line.trim();
            if (!pid.isEmpty() && pid.chars().allMatch(Character::isDigit)) pids.add(Long.parseLong(pid));
        }
        return pids;
    }

    static String readOrEmpty(CgroupOs os, Path file) {
        try {
            return os.read(file);
        } catch (IOException e) {
            return "";
        }
    }

    static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
