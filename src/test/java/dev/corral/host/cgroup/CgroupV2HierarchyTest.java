package dev.corral.host.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupV2HierarchyTest {

    private static final CgroupLimits ALL_LIMITS =
            new CgroupLimits(OptionalLong.of(64L << 20), OptionalDouble.of(1.5), OptionalLong.of(100));
    private static final CgroupLimits MEMORY_ONLY =
            new CgroupLimits(OptionalLong.of(64L << 20), OptionalDouble.empty(), OptionalLong.empty());

    @TempDir Path root;

    private Cgroups v2(FakeCgroupOs os, int euid, String selfCgroup) {
        return new HostCgroups(TestHosts.facts(root, TestHosts.V2_MOUNTINFO, selfCgroup, euid), os);
    }

    private CgroupDirectories prepareAsRoot(FakeCgroupOs os, CgroupLimits limits) {
        return (CgroupDirectories) v2(os, 0, "0::/init.scope\n").prepare("app", limits);
    }

    @Test
    void rootEnablesTheNeededControllersAndWritesTheLimits() throws IOException {
        FakeCgroupOs os = new FakeCgroupOs().v2Hierarchy(root, "cpuset cpu io memory hugetlb pids rdma misc");

        CgroupDirectories cgroup = prepareAsRoot(os, ALL_LIMITS);

        Path dir = cgroup.directories().getFirst();
        assertEquals(root.resolve("corral"), dir.getParent());
        assertEquals(List.of(dir.resolve("cgroup.procs")), cgroup.procsFiles());
        assertEquals("memory pids cpu", os.content(root.resolve("cgroup.subtree_control")));
        assertEquals("memory pids cpu", os.content(root.resolve("corral/cgroup.subtree_control")));
        assertEquals("67108864", os.content(dir.resolve("memory.max")));
        assertEquals("0", os.content(dir.resolve("memory.swap.max")));
        assertEquals("150000 100000", os.content(dir.resolve("cpu.max")));
        assertEquals("100", os.content(dir.resolve("pids.max")));
    }

    @Test
    void controllersAlreadyEnabledAreLeftAlone() throws IOException {
        FakeCgroupOs os = new FakeCgroupOs().v2Hierarchy(root, "memory pids");
        Files.writeString(root.resolve("cgroup.subtree_control"), "memory pids\n");

        prepareAsRoot(os, MEMORY_ONLY);

        assertFalse(os.writes.contains(root.getFileName() + "/cgroup.subtree_control=+memory"), os.writes.toString());
        assertTrue(os.writes.contains("corral/cgroup.subtree_control=+memory"), os.writes.toString());
    }

    @Test
    void withoutSwapAccountingTheSwapLimitIsSkipped() throws IOException {
        FakeCgroupOs os = new FakeCgroupOs().v2Hierarchy(root, "memory");
        os.swapAccounting = false;

        CgroupDirectories cgroup = prepareAsRoot(os, MEMORY_ONLY);

        assertTrue(os.writes.stream().noneMatch(w -> w.contains("memory.swap.max")));
        assertTrue(cgroup.enforced());
    }

    @Test
    void eventsCountOomKillsAndPidsLimitHits() throws IOException {
        FakeCgroupOs os = new FakeCgroupOs().v2Hierarchy(root, "memory pids cpu");
        CgroupDirectories cgroup = prepareAsRoot(os, ALL_LIMITS);
        Path dir = cgroup.directories().getFirst();
        Files.writeString(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 40\noom 3\noom_kill 3\n");
        Files.writeString(dir.resolve("pids.events"), "max 5\n");

        assertEquals(new Confinement.LimitEvents(3, 5), cgroup.events());
    }

    @Test
    void killAllUsesCgroupKillWhenTheKernelHasIt() throws IOException {
        FakeCgroupOs os = new FakeCgroupOs().v2Hierarchy(root, "memory");
        CgroupDirectories cgroup = prepareAsRoot(os, MEMORY_ONLY);
        os.addProcess(cgroup.directories().getFirst(), 77);

        cgroup.killAll();

        assertTrue(os.writes.getLast().endsWith("/cgroup.kill=1"));
        assertEquals(List.of(), os.killed);
        assertEquals("", os.content(cgroup.procsFiles().getFirst()));
    }

    @Test
    void killAllSignalsEachProcessWithoutCgroupKill() throws IOException {
        FakeCgroupOs os = new FakeCgroupOs().v2Hierarchy(root, "memory");
        os.cgroupKillFile = false;
        CgroupDirectories cgroup = prepareAsRoot(os, MEMORY_ONLY);
        Path dir = cgroup.directories().getFirst();
        os.addProcess(dir, 77);
        Files.createDirectory(dir.resolve("nested"));
        Files.writeString(dir.resolve("nested/cgroup.procs"), "78\n");

        cgroup.close();

        assertEquals(List.of(78L, 77L), os.killed);
        assertFalse(Files.exists(dir));
    }

    @Test
    void closeNeverThrowsEvenWhenTheCgroupIsAlreadyGone() throws IOException {
        FakeCgroupOs os = new FakeCgroupOs().v2Hierarchy(root, "memory");
        CgroupDirectories cgroup = prepareAsRoot(os, MEMORY_ONLY);
        Path dir = cgroup.directories().getFirst();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) Files.delete(f);
        }
        Files.delete(dir);

        cgroup.close();

        assertEquals(Confinement.LimitEvents.NONE, cgroup.events());
    }

    @Test
    void aMissingControllerIsRefusedNotSkipped() throws IOException {
        FakeCgroupOs os = new FakeCgroupOs().v2Hierarchy(root, "cpu memory");

        CgroupException e = assertThrows(CgroupException.class, () -> prepareAsRoot(os, ALL_LIMITS));

        assertTrue(e.getMessage().startsWith("cannot enforce --pids: the pids controller is not available"), e.getMessage());
        assertTrue(e.fix().orElseThrow().contains("drop --pids"));
        assertFalse(Files.exists(root.resolve("corral")));
    }

    @Test
    void aLimitTheKernelRejectsRemovesTheCgroup() throws IOException {
        FakeCgroupOs os = new FakeCgroupOs().v2Hierarchy(root, "cpu memory pids").failWritesTo("cpu.max");

        assertThrows(CgroupException.class, () -> prepareAsRoot(os, ALL_LIMITS));

        try (var left = Files.list(root.resolve("corral"))) {
            assertEquals(List.of(), left.filter(Files::isDirectory).toList());
        }
    }

    @Test
    void cgroupWithItsOwnProcessesCannotHandOutControllers() throws IOException {
        FakeCgroupOs os = new FakeCgroupOs().v2Hierarchy(root, "memory");
        Files.createDirectory(root.resolve("corral"));
        Files.writeString(root.resolve("corral/cgroup.controllers"), "memory\n");
        Files.writeString(root.resolve("corral/cgroup.subtree_control"), "");
        Files.writeString(root.resolve("corral/cgroup.procs"), "1234\n");

        CgroupException e = assertThrows(CgroupException.class, () -> prepareAsRoot(os, MEMORY_ONLY));

        assertTrue(e.getMessage().contains("cannot enable the memory controller"), e.getMessage());
        assertTrue(e.getMessage().contains("Device or resource busy"), e.getMessage());
    }

    @Test
    void readOnlyCgroupFilesystemGivesNoCgroup() throws IOException {
        FakeCgroupOs os = new FakeCgroupOs().v2Hierarchy(root, "memory pids cpu");
        Cgroups cgroups = new HostCgroups(TestHosts.facts(root, TestHosts.V2_READ_ONLY_MOUNTINFO, "0::/\n", 0), os);

        assertSame(Confinement.none(), cgroups.prepare("app", CgroupLimits.NONE));
        CgroupException e = assertThrows(CgroupException.class, () -> cgroups.prepare("app", MEMORY_ONLY));
        assertTrue(e.getMessage().contains("mounted read-only"), e.getMessage());
    }

    @Test
    void nonRootUsesTheSubtreeDelegatedToIt() throws IOException {
        Path delegated = root.resolve("system.slice/agents.service");
        FakeCgroupOs os = new FakeCgroupOs().v2Hierarchy(root, "memory pids cpu")
                .existingV2Cgroup(delegated, "memory pids", "memory pids")
                .existingV2Cgroup(delegated.resolve("supervisor"), "memory pids", "");
        for (Path p : List.of(delegated, delegated.resolve("supervisor"))) {
            os.owner(p, 1000).owner(p.resolve("cgroup.procs"), 1000).owner(p.resolve("cgroup.subtree_control"), 1000);
        }

        CgroupDirectories cgroup = (CgroupDirectories) v2(os, 1000, "0::/system.slice/agents.service/supervisor\n")
                .prepare("app", MEMORY_ONLY);

        assertEquals(delegated.resolve("corral"), cgroup.directories().getFirst().getParent());
    }

    @Test
    void delegatedSubtreeMustBeOwnedAllTheWay() throws IOException {
        Path delegated = root.resolve("system.slice/agents.service");
        FakeCgroupOs os = new FakeCgroupOs().v2Hierarchy(root, "memory")
                .existingV2Cgroup(delegated, "memory", "memory")
                .existingV2Cgroup(delegated.resolve("supervisor"), "memory", "")
                .owner(delegated, 1000).owner(delegated.resolve("cgroup.procs"), 1000);

        assertEquals(Optional.empty(), CgroupV2Hierarchy.delegatedSubtree(root,
                Optional.of("system.slice/agents.service/supervisor"), 1000, os));
    }
}
