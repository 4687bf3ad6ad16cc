package dev.corral.host.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * What a running sandbox uses now, read from its cgroups as {@code corral ls} shows it: memory in
 * use (without the page cache the kernel can drop at once, as {@code docker stats} counts it) and
 * the CPU time its processes have used so far. Works on both layouts: cgroup v2's one folder, or
 * v1's folder per controller. Where the sandbox has no memory cgroup (a host where Corral can only
 * cap processes), its processes' resident memory is added up instead.
 */
public final class CgroupUsage {
    /** Memory in bytes and CPU time in nanoseconds; empty where it could not be read. */
    public record Usage(OptionalLong memoryBytes, OptionalLong cpuNanos) {
    }

    private CgroupUsage() {
    }

    /** @param procsFiles the sandbox's {@code cgroup.procs} files, one per hierarchy it joined */
    public static Usage read(List<Path> procsFiles) {
        OptionalLong memory = OptionalLong.empty();
        OptionalLong cpu = OptionalLong.empty();
        for (Path procs : procsFiles) {
            Path dir = procs.getParent();
            if (memory.isEmpty()) memory = memoryOf(dir);
            if (cpu.isEmpty()) cpu = cpuOf(dir);
        }
        if (memory.isEmpty() && !procsFiles.isEmpty()) memory = residentOf(procsFiles.getFirst());
        if (cpu.isEmpty() && !procsFiles.isEmpty()) cpu = cpuOfProcesses(procsFiles.getFirst());
        return new Usage(memory, cpu);
    }

    private static OptionalLong memoryOf(Path dir) {
        OptionalLong v2 = number(dir.resolve("memory.current"));
        if (v2.isPresent()) return minusInactiveFile(v2.getAsLong(), dir, "inactive_file");
        OptionalLong v1 = number(dir.resolve("memory.usage_in_bytes"));
        if (v1.isPresent()) return minusInactiveFile(v1.getAsLong(), dir, "total_inactive_file");
        return OptionalLong.empty();
    }

    private static OptionalLong minusInactiveFile(long usage, Path dir, String key) {
        long inactive = statValue(dir.resolve("memory.stat"), key).orElse(0);
        return OptionalLong.of(Math.max(0, usage - inactive));
    }

    private static OptionalLong cpuOf(Path dir) {
        OptionalLong v2 = statValue(dir.resolve("cpu.stat"), "usage_usec");
        if (v2.isPresent()) return OptionalLong.of(v2.getAsLong() * 1000);
        return number(dir.resolve("cpuacct.usage"));
    }

    /** The resident memory of the processes in the cgroup, each counted whole. */
    private static OptionalLong residentOf(Path procs) {
        try {
            long total = 0;
            for (String pid : Files.readAllLines(procs)) {
                if (pid.isBlank()) continue;
                total += statValue(Path.of("/proc", pid.strip(), "status"), "VmRSS:").orElse(0) * 1024;
            }
            return OptionalLong.of(total);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * The CPU time of the cgroup's processes and of the children they have reaped (where no cgroup
     * counts it, as on a v1 host whose cpuacct hierarchy the sandbox did not join).
     */
    private static OptionalLong cpuOfProcesses(Path procs) {
        try {
            long ticks = 0;
            for (String pid : Files.readAllLines(procs)) {
                if (pid.isBlank()) continue;
                try {
                    String stat = Files.readString(Path.of("/proc", pid.strip(), "stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    for (int i = 11; i <= 14; i++) ticks += Long.parseLong(fields[i]);
                } catch (IOException e) {
                    // it ended meanwhile
                }
            }
            return OptionalLong.of(ticks * (1_000_000_000L / CLOCK_TICKS));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** {@code sysconf(_SC_CLK_TCK)}: 100 on every Linux architecture Corral runs on. */
    private static final long CLOCK_TICKS = 100;

    private static OptionalLong number(Path file) {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(file).strip()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The number after {@code key} in a file of {@code key value [unit]} lines. */
    static OptionalLong statValue(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                String[] words = line.trim().split("\\s+");
                if (words.length >= 2 && words[0].equals(key)) return OptionalLong.of(Long.parseLong(words[1]));
            }
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
