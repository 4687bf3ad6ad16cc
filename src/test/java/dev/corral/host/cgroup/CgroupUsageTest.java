package dev.corral.host.cgroup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CgroupUsageTest {
    @TempDir
    Path dir;

    @Test
    void cgroupV2CountsMemoryWithoutInactivePageCacheAndCpuInNanoseconds() throws IOException {
        Files.writeString(dir.resolve("memory.current"), "10485760\n");
        Files.writeString(dir.resolve("memory.stat"), "anon 4096\ninactive_file 2097152\nactive_file 1\n");
        Files.writeString(dir.resolve("cpu.stat"), "usage_usec 1500000\nuser_usec 1000000\n");
        Files.writeString(dir.resolve("cgroup.procs"), "");

        CgroupUsage.Usage usage = CgroupUsage.read(List.of(dir.resolve("cgroup.procs")));

        assertEquals(OptionalLong.of(8L << 20), usage.memoryBytes());
        assertEquals(OptionalLong.of(1_500_000_000L), usage.cpuNanos());
    }

    @Test
    void cgroupV1ReadsEachControllersFolder() throws IOException {
        Path memory = Files.createDirectories(dir.resolve("memory/corral/x"));
        Path cpu = Files.createDirectories(dir.resolve("cpu,cpuacct/corral/x"));
        Files.writeString(memory.resolve("memory.usage_in_bytes"), "3000\n");
        Files.writeString(memory.resolve("memory.stat"), "cache 9\ntotal_inactive_file 1000\n");
        Files.writeString(cpu.resolve("cpuacct.usage"), "42\n");

        CgroupUsage.Usage usage = CgroupUsage.read(List.of(memory.resolve("cgroup.procs"), cpu.resolve("cgroup.procs")));

        assertEquals(OptionalLong.of(2000), usage.memoryBytes());
        assertEquals(OptionalLong.of(42), usage.cpuNanos());
    }

    @Test
    void withoutControllersTheProcessesAreAddedUp() throws IOException {
        Files.writeString(dir.resolve("cgroup.procs"), ProcessHandle.current().pid() + "\n");

        CgroupUsage.Usage usage = CgroupUsage.read(List.of(dir.resolve("cgroup.procs")));

        assertEquals(true, usage.memoryBytes().orElseThrow() > 1 << 20, "this JVM's resident memory");
        assertEquals(true, usage.cpuNanos().orElseThrow() > 0, "this JVM's CPU time");
    }

    @Test
    void aStatFileWithoutTheKeyGivesNothing() throws IOException {
        Files.writeString(dir.resolve("memory.stat"), "anon 1\n");
        assertEquals(OptionalLong.empty(), CgroupUsage.statValue(dir.resolve("memory.stat"), "inactive_file"));
        assertEquals(OptionalLong.empty(), CgroupUsage.statValue(dir.resolve("missing"), "x"));
    }
}
