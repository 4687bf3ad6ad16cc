package dev.corral.host.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupProbeTest {

    @TempDir Path root;

    @Test
    void rootOnTheHybridMachineUsesTheV1Hierarchies() throws IOException {
        CgroupSupport support = new HostCgroups(
                TestHosts.facts(root, TestHosts.HYBRID_MOUNTINFO, TestHosts.HYBRID_SELF_CGROUP, 0), TestHosts.hybridTree(root)).probe();

        assertEquals("hybrid", support.version());
        assertEquals(CgroupSupport.CGROUPFS_V1, support.strategy());
        assertEquals(List.of(new CgroupSupport.ControllerSupport("memory", true, true),
                new CgroupSupport.ControllerSupport("pids", true, true),
                new CgroupSupport.ControllerSupport("cpu", true, true)), support.controllers());
        assertEquals(Optional.empty(), support.fix());
    }

    @Test
    void anUnprivilegedUserOnTheHybridMachineIsToldWhatToDo() throws IOException {
        CgroupSupport support = new HostCgroups(
                TestHosts.facts(root, TestHosts.HYBRID_MOUNTINFO, TestHosts.HYBRID_SELF_CGROUP, 1000), TestHosts.hybridTree(root)).probe();

        assertEquals(CgroupSupport.NONE, support.strategy());
        assertFalse(support.canLimit("memory"));
        assertTrue(support.controllers().stream().allMatch(CgroupSupport.ControllerSupport::available));
        assertEquals(Optional.of("cannot enforce --memory, --pids, --cpus: this user has no delegated cgroup (cgroup v1 host, not root)"),
                support.problem());
        assertTrue(support.fix().orElseThrow().startsWith("run as root"));
    }

    @Test
    void aControllerMissingFromTheKernelIsReportedUnavailable() throws IOException {
        FakeCgroupOs os = new FakeCgroupOs().v2Hierarchy(root, "cpu memory");

        CgroupSupport support = new HostCgroups(TestHosts.facts(root, TestHosts.V2_MOUNTINFO, "0::/init.scope\n", 0), os).probe();

        assertEquals("v2", support.version());
        assertEquals(CgroupSupport.CGROUPFS_V2, support.strategy());
        assertTrue(support.canLimit("memory"));
        assertEquals(new CgroupSupport.ControllerSupport("pids", false, false), support.controllers().get(1));
        assertTrue(support.problem().orElseThrow().startsWith("cannot enforce --pids:"), support.problem().orElseThrow());
    }

    @Test
    void probingChangesNothing() throws IOException {
        FakeCgroupOs os = new FakeCgroupOs().v2Hierarchy(root, "cpu memory pids");

        new HostCgroups(TestHosts.facts(root, TestHosts.V2_MOUNTINFO, "0::/\n", 0), os).probe();

        assertTrue(os.writes.isEmpty());
        assertFalse(Files.exists(root.resolve("corral")));
    }

    @Test
    void aHostWithoutCgroupsHasNoStrategy() {
        CgroupSupport support = new HostCgroups(TestHosts.facts(root, "", "", 0), new FakeCgroupOs()).probe();

        assertEquals("none", support.version());
        assertEquals(CgroupSupport.NONE, support.strategy());
        assertEquals(Optional.of("mount cgroup2 at /sys/fs/cgroup"), support.fix());
    }
}
