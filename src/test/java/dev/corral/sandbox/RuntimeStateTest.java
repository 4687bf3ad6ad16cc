package dev.corral.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeStateTest {
    private static final SandboxName NAME = new SandboxName("shell-project");
    private static final RuntimeState.Supervisor SUPERVISOR = new RuntimeState.Supervisor(1234, 5678, 99,
            Instant.parse("2025-01-01T00:00:00Z"), List.of("/sys/fs/cgroup/pids/corral/x/cgroup.procs"));

    @TempDir
    Path tmp;

    private CorralPaths paths;
    private RuntimeState runtime;

    @BeforeEach
    void runtime() {
        paths = new CorralPaths(tmp.resolve("home"), tmp.resolve("data/corral"), tmp.resolve("config/corral"), tmp.resolve("run/corral"));
        runtime = new RuntimeState(paths);
    }

    @Test
    void aSandboxNeverStartedIsNotRunning() {
        assertFalse(runtime.isRunning(NAME));
        assertEquals(Optional.empty(), runtime.supervisor(NAME));
    }

    @Test
    void aClaimedSandboxIsRunningUntilTheClaimCloses() {
        RuntimeState.Claim claim = runtime.claim(NAME);
        assertTrue(runtime.isRunning(NAME));
        assertTrue(runtime.isRunning(NAME), "asking twice does not release the lock");

        claim.close();

        assertFalse(runtime.isRunning(NAME));
    }

    @Test
    void anotherProcessSeesTheClaimEvenAfterThisProcessLookedAtIt() throws Exception {
        try (RuntimeState.Claim claim = runtime.claim(NAME)) {
            assertTrue(lockedForOtherProcesses(), "the claim locks the sandbox for everyone");

            runtime.isRunning(NAME);

            assertTrue(lockedForOtherProcesses(), "closing a second descriptor of the lock file released the claim's lock");
        }
    }

    @Test
    void aFailedSecondClaimInTheSameProcessKeepsTheFirstLock() throws Exception {
        try (RuntimeState.Claim claim = runtime.claim(NAME)) {
            assertThrows(SandboxException.class, () -> runtime.claim(NAME));

            assertTrue(lockedForOtherProcesses(), "closing the failed claim's descriptor released the first claim's lock");
        }
    }

    /** Whether another process fails to take the lock (POSIX record locks, as the JDK's FileChannel uses). */
    private boolean lockedForOtherProcesses() throws Exception {
        Process p = new ProcessBuilder("python3", "-c", """
                import fcntl, sys
                f = open(sys.argv[1], 'r+')
                try:
                    fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    print('free')
                except OSError:
                    print('locked')
                """, paths.runtimeDir(NAME).resolve("lock").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.waitFor(), out);
        return out.equals("locked");
    }

    @Test
    void aSecondClaimFailsAndPointsToExec() {
        try (RuntimeState.Claim ignored = runtime.claim(NAME)) {
            SandboxException e = assertThrows(SandboxException.class, () -> runtime.claim(NAME));

            assertTrue(e.getMessage().contains("already running"), e.getMessage());
            assertTrue(e.fix().orElseThrow().contains("corral exec " + NAME), e.fix().orElseThrow());
            assertTrue(runtime.isRunning(NAME), "the failed claim leaves the first one alone");
        }
    }

    @Test
    void aSandboxCanBeClaimedAgainAfterItStopped() {
        runtime.claim(NAME).close();

        try (RuntimeState.Claim again = runtime.claim(NAME)) {
            assertTrue(runtime.isRunning(NAME));
        }
    }

    @Test
    void claimsOfDifferentSandboxesAreIndependent() {
        try (RuntimeState.Claim one = runtime.claim(NAME); RuntimeState.Claim two = runtime.claim(new SandboxName("other"))) {
            assertTrue(runtime.isRunning(NAME));
            assertTrue(runtime.isRunning(new SandboxName("other")));
        }
    }

    @Test
    void theRecordedSupervisorIsReadBackWhileRunning() {
        try (RuntimeState.Claim claim = runtime.claim(NAME)) {
            assertEquals(Optional.empty(), runtime.supervisor(NAME), "running but not yet recorded");

            claim.record(SUPERVISOR);

            assertEquals(Optional.of(SUPERVISOR), runtime.supervisor(NAME));
        }
    }

    @Test
    void theSupervisorRecordGoesWithTheClaim() {
        RuntimeState.Claim claim = runtime.claim(NAME);
        claim.record(SUPERVISOR);

        claim.close();

        assertEquals(Optional.empty(), runtime.supervisor(NAME));
        assertFalse(Files.exists(paths.runtimeDir(NAME).resolve("supervisor.json")));
    }

    @Test
    void aLeftoverRecordWithoutTheLockIsNotRunning() {
        RuntimeState.Claim claim = runtime.claim(NAME);
        claim.record(SUPERVISOR);
        Path record = paths.runtimeDir(NAME).resolve("supervisor.json");
        Path copy = tmp.resolve("copy.json");
        try {
            Files.copy(record, copy);
            claim.close();
            Files.copy(copy, record);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }

        assertFalse(runtime.isRunning(NAME));
        assertEquals(Optional.empty(), runtime.supervisor(NAME));
    }

    @Test
    void forgetRemovesTheRuntimeFolder() {
        runtime.claim(NAME).close();

        runtime.forget(NAME);

        assertFalse(Files.exists(paths.runtimeDir(NAME)));
        assertFalse(runtime.isRunning(NAME));
    }

    @Test
    void theRuntimeFoldersArePrivate() throws java.io.IOException {
        runtime.claim(NAME).close();

        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(paths.runtimeDir(NAME))));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(paths.runtime())));
    }
}
