package dev.corral.host.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CgroupLayoutTest {

    private static final Path ROOT = Path.of("/tmp/fake-cgroup");

    @Test
    void hybridHostHasV1ControllersAndAnEmptyUnifiedHierarchy() {
        CgroupLayout layout = CgroupLayout.of(TestHosts.facts(ROOT, TestHosts.HYBRID_MOUNTINFO, TestHosts.HYBRID_SELF_CGROUP, 0));

        assertEquals("hybrid", layout.version());
        assertEquals(ROOT.resolve("unified"), layout.unified().orElseThrow().path());
        assertEquals(ROOT.resolve("memory"), layout.v1().get(Controller.MEMORY).path());
        assertEquals(ROOT.resolve("pids"), layout.v1().get(Controller.PIDS).path());
        assertEquals(ROOT.resolve("cpu"), layout.v1().get(Controller.CPU).path());
        assertEquals(Optional.of(""), layout.ownUnifiedPath());
    }

    @Test
    void unifiedHierarchyAtTheTopIsV2() {
        CgroupLayout layout = CgroupLayout.of(TestHosts.facts(ROOT, TestHosts.V2_MOUNTINFO, TestHosts.DESKTOP_SELF_CGROUP, 1000));

        assertEquals("v2", layout.version());
        assertEquals(ROOT, layout.unified().orElseThrow().path());
        assertTrue(layout.unified().orElseThrow().writable());
        assertTrue(layout.v1().isEmpty());
        assertTrue(layout.ownUnifiedPath().orElseThrow().endsWith("/vte-spawn-1.scope"));
    }

    @Test
    void coMountedCpuAndCpuacctServeTheCpuController() {
        String mountinfo = "31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct\n";

        CgroupLayout layout = CgroupLayout.of(TestHosts.facts(ROOT, mountinfo, "", 0));

        assertEquals("v1", layout.version());
        assertEquals(Set.of(Controller.CPU), layout.v1().keySet());
        assertEquals(ROOT.resolve("cpu,cpuacct"), layout.v1().get(Controller.CPU).path());
    }

    @Test
    void readOnlyMountIsNotWritable() {
        CgroupLayout layout = CgroupLayout.of(TestHosts.facts(ROOT, TestHosts.V2_READ_ONLY_MOUNTINFO, "0::/\n", 0));

        assertFalse(layout.unified().orElseThrow().writable());
    }

    @Test
    void escapedSpacesInMountPointsAreDecoded() {
        String mountinfo = "31 30 0:28 / /mnt/my\\040cgroups rw - cgroup2 cgroup2 rw\n";

        CgroupLayout layout = CgroupLayout.of(TestHosts.facts(ROOT, mountinfo, "", 0));

        assertEquals(Path.of("/mnt/my cgroups"), layout.unified().orElseThrow().path());
    }

    @Test
    void ownCgroupOutsideThisNamespaceIsIgnored() {
        assertEquals(Optional.empty(), CgroupLayout.ownUnifiedPath("0::/../../user.slice\n"));
        assertEquals(Optional.empty(), CgroupLayout.ownUnifiedPath("4:memory:/a\n"));
        assertEquals(Optional.of("a/b.scope"), CgroupLayout.ownUnifiedPath("0::/a/b.scope\n"));
    }

    @Test
    void noCgroupMountsMeansNoCgroups() {
        assertEquals("none", CgroupLayout.of(TestHosts.facts(ROOT, "", "", 0)).version());
    }

    @Test
    void effectiveUidIsTheSecondUidField() {
        assertEquals(1000, HostFacts.effectiveUid("Name:\tjava\nUid:\t0\t1000\t1000\t1000\nGid:\t0\n"));
        assertEquals(-1, HostFacts.effectiveUid("Name:\tjava\n"));
    }
}
