package dev.corral.host.cgroup;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The resource limits a cgroup enforces. Empty means "no limit of that kind".
 *
 * @param memoryBytes hard memory limit (swap included where the host allows), in bytes
 * @param cpus        CPU bandwidth in CPUs, e.g. 1.5 = 150 ms of CPU per 100 ms
 * @param pids        maximum number of tasks (processes and threads)
 */
public record CgroupLimits(OptionalLong memoryBytes, OptionalDouble cpus, OptionalLong pids) {

    public static final CgroupLimits NONE = new CgroupLimits(OptionalLong.empty(), OptionalDouble.empty(), OptionalLong.empty());

    public CgroupLimits {
        memoryBytes.ifPresent(m -> require(m > 0, "memory limit must be positive"));
        cpus.ifPresent(c -> require(c > 0, "cpu limit must be positive"));
        pids.ifPresent(p -> require(p > 0, "pids limit must be positive"));
    }

    public boolean isEmpty() {
        return memoryBytes.isEmpty() && cpus.isEmpty() && pids.isEmpty();
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
