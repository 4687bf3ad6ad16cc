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
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupV1HierarchiesTest {

    private static final CgroupLimits ALL_LIMITS =
            new CgroupLimits(OptionalLong.of(64L << 20), OptionalDouble.of(0.5), OptionalLong.of(64));

    @TempDir Path root;
    private FakeCgroupOs os;

    @BeforeEach
    void hybridMachine() throws IOException {
        os = TestHosts.hybridTree(root);
    }

    private Cgroups as(int euid) {
        return new HostCgroups(TestHosts.facts(root, TestHosts.HYBRID_MOUNTINFO, TestHosts.HYBRID_SELF_CGROUP, euid), os);
    }

    private CgroupDirectories prepareAsRoot(CgroupLimits limits) {
        return (CgroupDirectories) as(0).prepare("claude-app", limits);
    }

    @Test
    void rootGetsOneCgroupPerControllerUnderCorralAtTheHierarchyTop() {
        CgroupDirectories cgroup = prepareAsRoot(ALL_LIMITS);

        List<Path> dirs = cgroup.directories();
        assertEquals(3, dirs.size());
        assertEquals(root.resolve("memory/corral"), dirs.get(0).getParent());
        assertEquals(root.resolve("pids/corral"), dirs.get(1).getParent());
        assertEquals(root.resolve("cpu/corral"), dirs.get(2).getParent());
        assertTrue(dirs.get(0).getFileName().toString().matches("claude-app-[0-9a-f]{8}"));
        assertEquals(dirs.stream().map(d -> d.resolve("cgroup.procs")).toList(), cgroup.procsFiles());
        assertEquals(List.of(), cgroup.commandPrefix());
        assertTrue(cgroup.enforced());
    }

    @Test
    void limitsAreWrittenWithMemoryBeforeMemoryPlusSwap() throws IOException {
        CgroupDirectories cgroup = prepareAsRoot(ALL_LIMITS);

        String instance = cgroup.directories().get(0).getFileName().toString();
        assertEquals(List.of(
                instance + "/memory.limit_in_bytes=67108864",
                instance + "/memory.memsw.limit_in_bytes=67108864",
                instance + "/pids.max=64",
                instance + "/cpu.cfs_period_us=100000",
                instance + "/cpu.cfs_quota_us=50000"), os.writes);
        assertEquals("67108864", os.content(cgroup.directories().get(0).resolve("memory.memsw.limit_in_bytes")));
    }

    @Test
    void withoutSwapAccountingOnlyTheMemoryLimitIsWritten() {
        os.swapAccounting = false;

        prepareAsRoot(new CgroupLimits(OptionalLong.of(1 << 30), OptionalDouble.empty(), OptionalLong.empty()));

        assertEquals(1, os.writes.size());
        assertTrue(os.writes.getFirst().endsWith("/memory.limit_in_bytes=1073741824"));
    }

    @Test
    void eventsCountOomKillsAndPidsLimitHits() throws IOException {
        CgroupDirectories cgroup = prepareAsRoot(ALL_LIMITS);
        Files.writeString(cgroup.directories().get(0).resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
        Files.writeString(cgroup.directories().get(1).resolve("pids.events"), "max 17\n");

        assertEquals(new Confinement.LimitEvents(2, 17), cgroup.events());
    }

    @Test
    void killAllSignalsEveryProcessInEveryHierarchy() throws IOException {
        CgroupDirectories cgroup = prepareAsRoot(ALL_LIMITS);
        for (Path dir : cgroup.directories()) {
            os.addProcess(dir, 4242);
        }
        os.addProcess(cgroup.directories().get(1), 4243);

        cgroup.killAll();

        assertEquals(List.of(4242L, 4243L), os.killed);
        for (Path procs : cgroup.procsFiles()) assertEquals("", os.content(procs));
    }

    @Test
    void closeKillsAndRemovesTheCgroupsButKeepsTheSharedParent() throws IOException {
        CgroupDirectories cgroup = prepareAsRoot(ALL_LIMITS);
        os.addProcess(cgroup.directories().get(0), 99);

        cgroup.close();
        cgroup.close();

        for (Path dir : cgroup.directories()) {
            assertFalse(Files.exists(dir), dir + " still exists");
            assertTrue(Files.isDirectory(dir.getParent()));
        }
        assertEquals(List.of(99L), os.killed);
    }

    @Test
    void emptyLimitsStillGiveACgroupToKillLeftoversWith() {
        CgroupDirectories cgroup = prepareAsRoot(CgroupLimits.NONE);

        assertEquals(3, cgroup.directories().size());
        assertTrue(os.writes.isEmpty());
    }

    @Test
    void aFailedLimitRemovesWhatWasCreated() throws IOException {
        os.failWritesTo("pids.max");

        CgroupException e = assertThrows(CgroupException.class, () -> prepareAsRoot(ALL_LIMITS));

        assertTrue(e.getMessage().contains("pids.max"), e.getMessage());
        for (String hierarchy : List.of("memory", "pids", "cpu")) {
            try (var left = Files.list(root.resolve(hierarchy).resolve("corral"))) {
                assertEquals(0, left.filter(Files::isDirectory).count(), hierarchy);
            }
        }
    }

    @Test
    void aMissingPidsControllerRefusesAPidsLimit() throws IOException {
        String withoutPids = TestHosts.HYBRID_MOUNTINFO.replace("cgroup cgroup rw,pids", "tmpfs tmpfs rw");
        Cgroups cgroups = new HostCgroups(TestHosts.facts(root, withoutPids, TestHosts.HYBRID_SELF_CGROUP, 0), os);

        CgroupException e = assertThrows(CgroupException.class, () -> cgroups.prepare("app", ALL_LIMITS));

        assertEquals("cannot enforce --pids: the pids controller is not mounted (cgroup v1)", e.getMessage());
        assertTrue(e.fix().orElseThrow().contains("drop --pids"));
        try (var left = Files.list(root.resolve("memory"))) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().equals("corral")), "nothing created");
        }
    }

    @Test
    void nonRootOnAV1HostIsRefusedWithAFix() {
        CgroupException e = assertThrows(CgroupException.class, () -> as(1000).prepare("app",
                new CgroupLimits(OptionalLong.of(1 << 30), OptionalDouble.empty(), OptionalLong.empty())));

        assertEquals("cannot enforce --memory: this user has no delegated cgroup (cgroup v1 host, not root)", e.getMessage());
        assertEquals("run as root, or use a cgroup v2 host with systemd user delegation (systemd-run --user works)",
                e.fix().orElseThrow());
    }

    @Test
    void nonRootWithoutLimitsRunsUnconfined() {
        assertSame(Confinement.none(), as(1000).prepare("app", CgroupLimits.NONE));
    }
}
