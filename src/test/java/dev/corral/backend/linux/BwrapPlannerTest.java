package dev.corral.backend.linux;

import static dev.corral.backend.linux.PlanInputs.WORKSPACE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.backend.linux.Protection.Kind;
import dev.corral.sandbox.Volume;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The bubblewrap arguments, rule by rule, from hand-made inputs. */
class BwrapPlannerTest {
    private static final Set<String> MOUNT_OPTIONS = Set.of("--bind", "--ro-bind", "--dev-bind", "--tmpfs", "--proc", "--dev",
            "--symlink", "--dir", "--bind-try", "--ro-bind-try", "--mqueue", "--file", "--bind-data", "--ro-bind-data");

    private static List<String> options() {
        return BwrapPlanner.plan(PlanInputs.basic()).options();
    }

    /** The index of {@code sequence} in {@code list}, or -1. */
    private static int indexOf(List<String> list, String... sequence) {
        return java.util.Collections.indexOfSubList(list, List.of(sequence));
    }

    private static void assertContains(List<String> list, String... sequence) {
        assertTrue(indexOf(list, sequence) >= 0, () -> String.join(" ", sequence) + " missing in " + list);
    }

    private static int count(List<String> list, String value) {
        return (int) list.stream().filter(value::equals).count();
    }

    @Test
    void everyNamespaceIsUnshared() {
        List<String> args = options();

        for (String ns : List.of("--unshare-user", "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts")) {
            assertContains(args, ns);
        }
        assertTrue(args.contains("--unshare-cgroup") || args.contains("--unshare-cgroup-try"), args::toString);
        assertFalse(args.contains("--share-net"));
        assertFalse(args.contains("--unshare-all"), "spelled out, so a new bubblewrap default can't change the sandbox");
    }

    @Test
    void theSandboxRunsAsTheCallerWithoutCapabilitiesAndDiesWithItsParent() {
        List<String> args = options();

        assertContains(args, "--uid", "1000", "--gid", "1000");
        assertContains(args, "--cap-drop", "ALL");
        assertFalse(args.contains("--cap-add"));
        assertContains(args, "--die-with-parent");
        assertContains(args, "--hostname", "shell-project");
    }

    @Test
    void seccompAndStatusComeOnTheirDescriptors() {
        LaunchPlan plan = BwrapPlanner.plan(PlanInputs.basic());

        assertContains(plan.options(), "--seccomp", Integer.toString(LaunchPlan.SECCOMP_FD));
        assertContains(plan.options(), "--json-status-fd", Integer.toString(LaunchPlan.STATUS_FD));
        assertArrayEquals(PlanInputs.SECCOMP, plan.seccomp());
    }

    @Test
    void theEnvironmentIsClearedThenExactlyTheGivenVariablesAreSetInOrder() {
        List<String> args = options();
        int clear = args.indexOf("--clearenv");
        List<String> set = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--setenv")) {
                assertTrue(i > clear, "--setenv before --clearenv");
                set.add(args.get(i + 1) + "=" + args.get(i + 2));
            }
        }

        assertTrue(clear >= 0);
        assertEquals(List.of("CORRAL_SANDBOX=shell-project", "FROM_E=1", "HOME=/home/alice", "PATH=/usr/bin:/bin", "TERM=xterm"), set);
        assertFalse(args.contains("--unsetenv"));
    }

    @Test
    void systemDirectoriesAreReadOnlyAndTheirSymlinksStaySymlinks() {
        List<String> args = options();

        assertContains(args, "--ro-bind", "/usr", "/usr");
        assertContains(args, "--ro-bind", "/etc", "/etc");
        assertContains(args, "--symlink", "usr/bin", "/bin");
        assertContains(args, "--symlink", "usr/lib", "/lib");
        assertContains(args, "--symlink", "usr/lib64", "/lib64");
        assertEquals(-1, indexOf(args, "--bind", "/usr", "/usr"));
        assertEquals(-1, indexOf(args, "--ro-bind", "/", "/"), "the host's root is never bound");
        assertEquals(-1, indexOf(args, "--bind", "/", "/"));
        assertFalse(args.contains("--dev-bind"), "no host device is bound");
    }

    @Test
    void procAndDevAreFreshAndLeakyProcFilesAreMasked() {
        List<String> args = options();

        assertContains(args, "--proc", "/proc");
        assertContains(args, "--dev", "/dev");
        assertContains(args, "--ro-bind", "/dev/null", "/proc/kcore");
        assertContains(args, "--ro-bind", "/dev/null", "/proc/sysrq-trigger");
        assertTrue(indexOf(args, "--ro-bind", "/dev/null", "/proc/kcore") > indexOf(args, "--proc", "/proc"), "masks go over the new /proc");
        assertEquals(-1, indexOf(args, "--bind", "/proc", "/proc"));
        assertEquals(-1, indexOf(args, "--ro-bind", "/sys", "/sys"));
        assertFalse(args.contains("/run/user/1000"));
    }

    @Test
    void secretFilesAreMaskedWithDevNullAndSecretFoldersWithAnEmptyLockedTmpfs() {
        List<String> args = options();

        for (String secret : List.of("/etc/shadow", "/etc/gshadow", "/etc/ssh/ssh_host_ed25519_key")) {
            int mask = indexOf(args, "--ro-bind", "/dev/null", secret);
            assertTrue(mask > indexOf(args, "--ro-bind", "/etc", "/etc"), secret + " is masked after /etc is bound");
        }
        int dir = indexOf(args, "--perms", "0000", "--tmpfs", "/etc/ssl/private", "--remount-ro", "/etc/ssl/private");
        assertTrue(dir > indexOf(args, "--ro-bind", "/etc", "/etc"), args::toString);
    }

    @Test
    void tmpIsAPrivateTmpfsOfTheGivenSize() {
        List<String> args = options();

        assertContains(args, "--perms", "1777", "--size", Long.toString(512L << 20), "--tmpfs", "/tmp");
        assertContains(args, "--symlink", "../tmp", "/var/tmp");
        assertEquals(-1, indexOf(args, "--bind", "/tmp", "/tmp"));
    }

    @Test
    void theSandboxHomeIsBoundAtTheCallersHomePath() {
        List<String> args = options();

        assertContains(args, "--bind", PlanInputs.SANDBOX_HOME.toString(), "/home/alice");
        assertEquals(-1, indexOf(args, "--bind", "/home/alice", "/home/alice"), "the real home is never bound");
        assertEquals(-1, indexOf(args, "--ro-bind", "/home", "/home"));
    }

    @Test
    void theWorkspaceIsBoundReadWriteAtItsOwnPathAfterTheHomeThatContainsIt() {
        List<String> args = options();
        int home = indexOf(args, "--bind", PlanInputs.SANDBOX_HOME.toString(), "/home/alice");
        int workspace = indexOf(args, "--bind", WORKSPACE.toString(), WORKSPACE.toString());

        assertTrue(workspace > home, "a workspace inside the home must be mounted after the home");
        assertTrue(workspace > indexOf(args, "--tmpfs", "/tmp"), "a workspace under /tmp must be mounted after the tmpfs");
    }

    @Test
    void volumesFollowTheWorkspaceInTheGivenOrderWithTheirMode() {
        List<String> args = options();
        int workspace = indexOf(args, "--bind", WORKSPACE.toString(), WORKSPACE.toString());
        int cache = indexOf(args, "--bind", "/data/cache", "/cache");
        int models = indexOf(args, "--ro-bind", "/data/models", "/models");

        assertTrue(workspace < cache && cache < models, args::toString);
        assertEquals(-1, indexOf(args, "--bind", "/data/models", "/models"));
    }

    @Test
    void protectionsComeAfterWorkspaceAndVolumesParentsFirst() {
        List<String> args = options();
        String git = WORKSPACE.resolve(".git").toString();
        String config = WORKSPACE.resolve(".git/config").toString();
        String hooks = WORKSPACE.resolve(".git/hooks").toString();
        String vscode = WORKSPACE.resolve(".vscode").toString();
        int pinned = indexOf(args, "--bind", git, git);
        int configRo = indexOf(args, "--ro-bind", config, config);
        int hooksRo = indexOf(args, "--ro-bind", hooks, hooks);
        int vscodeRo = indexOf(args, "--ro-bind", vscode, vscode);

        assertTrue(pinned > indexOf(args, "--ro-bind", "/data/models", "/models"), "after the volumes");
        assertTrue(pinned >= 0 && configRo > pinned && hooksRo > pinned, args::toString);
        assertTrue(vscodeRo > indexOf(args, "--bind", WORKSPACE.toString(), WORKSPACE.toString()));
    }

    @Test
    void anEmptyProtectionIsAReadOnlyTmpfsAndIsReportedAsCreated() {
        Path dotGit = WORKSPACE.resolve(".git");
        Path hooksPath = WORKSPACE.resolve("tools/hooks");
        PlanInput in = PlanInputs.with(PlanInputs.basic(), List.of(new Protection(hooksPath, Kind.EMPTY),
                new Protection(WORKSPACE.resolve("tools"), Kind.PINNED), new Protection(dotGit, Kind.EMPTY)), false, PlanInputs.LAYOUT);

        LaunchPlan plan = BwrapPlanner.plan(in);

        assertContains(plan.options(), "--perms", "0555", "--tmpfs", dotGit.toString(), "--remount-ro", dotGit.toString());
        assertContains(plan.options(), "--perms", "0555", "--tmpfs", hooksPath.toString(), "--remount-ro", hooksPath.toString());
        assertTrue(indexOf(plan.options(), "--bind", WORKSPACE.resolve("tools").toString(), WORKSPACE.resolve("tools").toString())
                < indexOf(plan.options(), "--tmpfs", hooksPath.toString()));
        assertEquals(Set.of(dotGit, hooksPath), Set.copyOf(plan.temporaryPaths()));
    }

    @Test
    void pinnedAndReadOnlyProtectionsCreateNothing() {
        assertEquals(List.of(), BwrapPlanner.plan(PlanInputs.basic()).temporaryPaths());
    }

    @Test
    void theRootIsRemountedReadOnlyAfterEveryMount() {
        List<String> args = options();
        int remount = indexOf(args, "--remount-ro", "/");

        assertTrue(remount >= 0, args::toString);
        for (int i = remount + 2; i < args.size(); i++) {
            assertFalse(MOUNT_OPTIONS.contains(args.get(i)), args.get(i) + " comes after --remount-ro /");
        }
        assertTrue(args.indexOf("--chdir") > remount, "--chdir after the mounts");
    }

    @Test
    void theCommandStartsInTheWorkspace() {
        List<String> args = options();

        assertEquals(List.of("--chdir", WORKSPACE.toString()), args.subList(args.size() - 2, args.size()));
        assertEquals(1, count(args, "--chdir"));
    }

    @Test
    void withoutItsOwnTerminalTheCommandRunsAsGiven() {
        assertEquals(List.of("/bin/sh", "-c", "echo hello"), BwrapPlanner.plan(PlanInputs.basic()).command());
    }

    @Test
    void withItsOwnTerminalTheCommandRunsInANewSessionWithTheTerminalAsControllingTerminal() {
        PlanInput in = PlanInputs.with(PlanInputs.basic(), PlanInputs.GIT_PROTECTIONS, true, PlanInputs.LAYOUT);

        assertEquals(List.of("/usr/bin/setsid", "--ctty", "--wait", "--", "/bin/sh", "-c", "echo hello"),
                BwrapPlanner.plan(in).command());
    }

    @Test
    void withItsOwnTerminalButNoSetsidThePlanFails() {
        HostLayout noSetsid = new HostLayout(PlanInputs.LAYOUT.systemEntries(), PlanInputs.LAYOUT.secretFiles(),
                PlanInputs.LAYOUT.secretDirs(), PlanInputs.LAYOUT.procMasks(), PlanInputs.LAYOUT.procReadOnly(), Optional.empty(), PlanInputs.LAYOUT.socat());
        PlanInput in = PlanInputs.with(PlanInputs.basic(), PlanInputs.GIT_PROTECTIONS, true, noSetsid);

        assertThrows(IllegalStateException.class, () -> BwrapPlanner.plan(in));
    }

    @Test
    void kernelKnobsUnderProcAreBoundReadOnlyRightAfterProc() {
        List<String> args = options();

        int proc = args.indexOf("--proc");
        assertEquals(List.of("--ro-bind", "/proc/sys", "/proc/sys"), args.subList(proc + 2, proc + 5));
    }

    @Test
    void rootsSandboxGetsPrivateDeviceFilesInsteadOfTheHosts() {
        PlanInput basic = PlanInputs.basic();
        PlanInput in = new PlanInput(basic.spec(), basic.identity(), basic.home(), basic.layout(), basic.protections(),
                basic.environment(), basic.command(), false, basic.tmpBytes(), basic.seccomp(), Optional.of(Path.of("/state/devices")), Optional.empty());

        List<String> args = BwrapPlanner.plan(in).options();

        assertContains(args, "--dev-bind", "/state/devices/null", "/dev/null");
        assertContains(args, "--dev-bind", "/state/devices/tty", "/dev/tty");
        assertTrue(args.indexOf("--dev-bind") > args.indexOf("--dev"));
        assertTrue(args.lastIndexOf("--dev-bind") < args.indexOf("/dev/shm"));
    }

    @Test
    void theCommandIsNotAmongTheOptions() {
        List<String> args = options();

        assertFalse(args.contains("echo hello"));
        assertFalse(args.contains("--"), "the options end before the command; bwrap gets -- on its command line");
    }

    @Test
    void valuesThatLookLikeOptionsStayValues() {
        PlanInput basic = PlanInputs.basic();
        PlanInput in = new PlanInput(basic.spec(), basic.identity(), basic.home(), basic.layout(), basic.protections(),
                java.util.Map.of("X", "--bind / /"), basic.command(), false, basic.tmpBytes(), basic.seccomp(), Optional.empty(), Optional.empty());

        List<String> args = BwrapPlanner.plan(in).options();

        assertContains(args, "--setenv", "X", "--bind / /");
        assertEquals(-1, indexOf(args, "--bind", "/", "/"));
    }

    // --- an agent's mounts

    private static final Volume INSTALL = new Volume(Path.of("/home/alice/.cache/corral/agents/claude/2.0.14"),
            Path.of("/run/corral-agents/claude"), true);
    private static final Volume LOGIN = new Volume(Path.of("/home/alice/.local/share/corral/agents/claude/.claude"),
            Path.of("/home/alice/.claude"), false);
    private static final Volume CREDENTIALS = new Volume(Path.of("/home/alice/.claude/.credentials.json"),
            Path.of("/home/alice/.claude/.credentials.json"), true);

    private static List<String> withAgent() {
        return BwrapPlanner.plan(PlanInputs.withAgentMounts(PlanInputs.basic(), List.of(INSTALL, LOGIN, CREDENTIALS))).options();
    }

    @Test
    void agentMountsAreBoundWithTheirModeAfterTheWorkspaceAndTheVolumesInTheGivenOrder() {
        List<String> args = withAgent();
        int workspace = indexOf(args, "--bind", WORKSPACE.toString(), WORKSPACE.toString());
        int lastVolume = indexOf(args, "--ro-bind", "/data/models", "/models");
        int install = indexOf(args, "--ro-bind", INSTALL.hostPath().toString(), "/run/corral-agents/claude");
        int login = indexOf(args, "--bind", LOGIN.hostPath().toString(), "/home/alice/.claude");
        int credentials = indexOf(args, "--ro-bind", CREDENTIALS.hostPath().toString(), CREDENTIALS.sandboxPath().toString());

        assertTrue(workspace < lastVolume && lastVolume < install, args::toString);
        assertTrue(install < login && login < credentials, "the file goes over the folder it lies in: " + args);
        assertEquals(-1, indexOf(args, "--bind", INSTALL.hostPath().toString(), "/run/corral-agents/claude"), "the install is never writable");
        assertTrue(install > indexOf(args, "--dir", "/run"), "/run exists before the install is bound in it");
        assertTrue(login > indexOf(args, "--bind", PlanInputs.SANDBOX_HOME.toString(), "/home/alice"), "over the sandbox's home");
    }

    @Test
    void agentMountsComeBeforeTheWorkspaceProtectionsAndTheReadOnlyRoot() {
        List<String> args = withAgent();
        int credentials = indexOf(args, "--ro-bind", CREDENTIALS.hostPath().toString(), CREDENTIALS.sandboxPath().toString());
        String git = WORKSPACE.resolve(".git").toString();

        assertTrue(credentials < indexOf(args, "--bind", git, git), "an agent mount can't undo a protection");
        assertTrue(credentials < indexOf(args, "--remount-ro", "/"));
    }

    @Test
    void withoutAnAgentNothingIsBoundForIt() {
        List<String> args = options();

        assertFalse(args.contains("/run/corral-agents/claude"));
        assertEquals(List.of(), PlanInputs.basic().agentMounts());
        assertEquals(BwrapPlanner.plan(PlanInputs.basic()).options(),
                BwrapPlanner.plan(PlanInputs.withAgentMounts(PlanInputs.basic(), List.of())).options());
    }
}
