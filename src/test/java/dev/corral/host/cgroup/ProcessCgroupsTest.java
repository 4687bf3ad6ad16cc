package dev.corral.host.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A container's cgroup.procs files, found from its /proc/PID/cgroup lines under a made-up /sys/fs/cgroup. */
class ProcessCgroupsTest {
    @TempDir
    Path outside;

    /** The cgroup root, one level down so that what lies above it can be tried too. */
    private Path root;

    @BeforeEach
    void makeTheRoot() throws IOException {
        root = Files.createDirectories(outside.resolve("sys/fs/cgroup"));
    }

    private Path procs(String folder) throws IOException {
        Path dir = Files.createDirectories(root.resolve(folder));
        return Files.writeString(dir.resolve("cgroup.procs"), "4242\n");
    }

    @Test
    void cgroupV2HasOneLineWithNoControllers() throws IOException {
        Path procs = procs("system.slice/docker-abc.scope");

        assertEquals(List.of(procs), ProcessCgroups.procsFiles(List.of("0::/system.slice/docker-abc.scope"), root));
    }

    @Test
    void cgroupV2OnAHybridHostIsUnderUnified() throws IOException {
        Path procs = procs("unified/system.slice/docker-abc.scope");

        assertEquals(List.of(procs), ProcessCgroups.procsFiles(List.of("0::/system.slice/docker-abc.scope"), root));
    }

    @Test
    void cgroupV1HasOneFilePerHierarchyNamedByItsControllers() throws IOException {
        Path memory = procs("memory/docker/abc");
        Path cpu = procs("cpu,cpuacct/docker/abc");
        Path systemd = procs("systemd/docker/abc");
        List<String> lines = List.of("12:pids:/docker/abc", "7:cpu,cpuacct:/docker/abc", "4:memory:/docker/abc", "1:name=systemd:/docker/abc",
                "0::/docker/abc");

        assertEquals(List.of(cpu, memory, systemd), ProcessCgroups.procsFiles(lines, root), "pids and v2 have no folder here, so none");
    }

    @Test
    void foldersWithoutACgroupProcsFileAreLeftOut() throws IOException {
        Files.createDirectories(root.resolve("system.slice/docker-abc.scope"));

        assertEquals(List.of(), ProcessCgroups.procsFiles(List.of("0::/system.slice/docker-abc.scope"), root));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "0:/system.slice", "0::system.slice/docker-abc.scope", "4:memory", "::"})
    void linesThatAreNotCgroupLinesAreIgnored(String line) throws IOException {
        procs("system.slice/docker-abc.scope");
        procs("memory");

        assertEquals(List.of(), ProcessCgroups.procsFiles(List.of(line), root));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0::/..", "0::/../..", "0::/../../fs", "0::/system.slice/../..", "0::/system.slice/..", "4:memory:/..",
            "4:memory:/../../..", "4:memory:/docker/../.."})
    void pathsWithDotDotAreIgnoredAndNeverLeadOutOfTheRoot(String line) throws IOException {
        // a cgroup.procs at every level above, beside and at the root: whatever a ".." could reach
        procs("");
        procs("unified");
        procs("system.slice");
        procs("memory");
        procs("memory/docker");
        Files.writeString(root.getParent().resolve("cgroup.procs"), "1\n");
        Files.writeString(root.getParent().getParent().resolve("cgroup.procs"), "1\n");
        Files.writeString(outside.resolve("cgroup.procs"), "1\n");

        assertEquals(List.of(), ProcessCgroups.procsFiles(List.of(line), root));
    }

    @Test
    void aLineWithDotDotDoesNotHideTheOthers() throws IOException {
        Path procs = procs("system.slice/docker-abc.scope");

        assertEquals(List.of(procs), ProcessCgroups.procsFiles(List.of("1:name=systemd:/../x", "0::/system.slice/docker-abc.scope"), root));
    }
}
