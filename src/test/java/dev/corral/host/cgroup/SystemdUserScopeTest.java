package dev.corral.host.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdUserScopeTest {

    private static final CgroupLimits ALL_LIMITS =
            new CgroupLimits(OptionalLong.of(2L << 30), OptionalDouble.of(1.5), OptionalLong.of(512));

    @TempDir Path root;
    @TempDir Path runtimeDir;
    private Path manager;
    private FakeCgroupOs os;

    /** A desktop: cgroup v2, the user's terminal in a scope below user@1000.service, which owns its subtree. */
    @BeforeEach
    void desktop() throws IOException {
        manager = root.resolve("user.slice/user-1000.slice/user@1000.service");
        Path terminal = manager.resolve("app.slice/app-org.gnome.Terminal.slice/vte-spawn-1.scope");
        os = new FakeCgroupOs().v2Hierarchy(root, "cpuset cpu io memory pids")
                .existingV2Cgroup(manager, "cpu memory pids", "cpu memory pids")
                .existingV2Cgroup(terminal, "cpu memory pids", "")
                .onPath("systemd-run");
        for (Path p = terminal; !p.equals(root.resolve("user.slice/user-1000.slice")); p = p.getParent()) {
            os.owner(p, 1000).owner(p.resolve("cgroup.procs"), 1000).owner(p.resolve("cgroup.subtree_control"), 1000);
        }
        Files.createDirectories(runtimeDir.resolve("systemd"));
        Files.writeString(runtimeDir.resolve("systemd/private"), "");
    }

    private Cgroups asDesktopUser() {
        return new HostCgroups(TestHosts.facts(root, TestHosts.V2_MOUNTINFO, TestHosts.DESKTOP_SELF_CGROUP, 1000,
                Map.of("XDG_RUNTIME_DIR", runtimeDir.toString())), os);
    }

    @Test
    void unprivilegedUserRunsTheSandboxInATransientScopeWithTheLimits() {
        SystemdUserScope scope = (SystemdUserScope) asDesktopUser().prepare("codex-app", ALL_LIMITS);

        assertTrue(scope.unit().matches("corral-codex-app-[0-9a-f]{8}\\.scope"), scope.unit());
        assertEquals(List.of("systemd-run", "--user", "--scope", "--quiet", "--collect", "--unit", scope.unit(),
                "-p", "MemoryMax=2147483648", "-p", "MemorySwapMax=0", "-p", "TasksMax=512", "-p", "CPUQuota=150%", "--"),
                scope.commandPrefix());
        assertEquals(List.of(), scope.procsFiles());
        assertTrue(scope.enforced());
    }

    @Test
    void scopeWithoutLimitsHasNoProperties() {
        assertEquals(List.of("systemd-run", "--user", "--scope", "--quiet", "--collect", "--unit", "corral-x-1.scope", "--"),
                SystemdUserScope.commandPrefix("corral-x-1.scope", CgroupLimits.NONE));
    }

    @Test
    void theUserManagersOwnSubtreeIsNotWrittenBehindSystemdsBack() {
        assertInstanceOf(SystemdUserScope.class, asDesktopUser().prepare("app", CgroupLimits.NONE));
        assertTrue(os.writes.isEmpty(), os.writes.toString());
    }

    @Test
    void killAllAndCloseGoThroughSystemctl() {
        SystemdUserScope scope = (SystemdUserScope) asDesktopUser().prepare("app", ALL_LIMITS);

        scope.close();
        scope.close();

        assertEquals(List.of(
                List.of("systemctl", "--user", "kill", "--signal=SIGKILL", scope.unit()),
                List.of("systemctl", "--user", "stop", scope.unit())), os.commandsRun);
    }

    @Test
    void eventsAreReadFromTheScopesCgroupWhileItExists() throws IOException {
        SystemdUserScope scope = (SystemdUserScope) asDesktopUser().prepare("app", ALL_LIMITS);
        assertEquals(Confinement.LimitEvents.NONE, scope.events());

        Path cgroup = manager.resolve("app.slice").resolve(scope.unit());
        Files.createDirectories(cgroup);
        Files.writeString(cgroup.resolve("memory.events"), "oom 1\noom_kill 1\n");
        Files.writeString(cgroup.resolve("pids.events"), "max 9\n");

        assertEquals(new Confinement.LimitEvents(1, 9), scope.events());
    }

    @Test
    void aControllerSystemdDoesNotDelegateIsRefused() throws IOException {
        Files.writeString(manager.resolve("cgroup.controllers"), "memory pids\n");

        CgroupException e = assertThrows(CgroupException.class, () -> asDesktopUser().prepare("app", ALL_LIMITS));

        assertEquals("cannot enforce --cpus: systemd does not delegate the cpu controller to user@1000.service "
                + "(it has memory pids)", e.getMessage());
        assertTrue(e.fix().orElseThrow().contains("Delegate="), e.fix().orElseThrow());
    }

    @Test
    void withoutAUserManagerLimitsAreRefused() throws IOException {
        Files.delete(runtimeDir.resolve("systemd/private"));

        CgroupException e = assertThrows(CgroupException.class, () -> asDesktopUser().prepare("app", ALL_LIMITS));

        assertTrue(e.getMessage().startsWith("cannot enforce --memory, --pids, --cpus: no systemd user manager"), e.getMessage());
    }

    @Test
    void theManagerIsFoundWhereSystemdPutsItWhenThisProcessIsElsewhere() {
        assertEquals(root.resolve("user.slice/user-1000.slice/user@1000.service"),
                SystemdUserManager.managerCgroup(root, java.util.Optional.of("user.slice/user-1000.slice/session-2.scope"), 1000));
    }
}
