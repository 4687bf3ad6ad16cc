package dev.corral.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Memory, CPU and process limits (threat model: Resources), and the exit statuses that report a
 * sandbox's end. Root on a cgroup v1 host (like CI) gets the limits enforced; an ordinary user there
 * has no delegated cgroup, so an explicitly requested limit must stop the run before anything runs
 * (exit 125, one line saying why and what to do), leaving the sandbox's stored settings as they were.
 * Every sandbox here has its own name, so its cgroups can be told apart from other tests'.
 */
class ResourceLimitsIT {
    private static final List<Path> V1_HIERARCHIES = Stream.of("memory", "pids", "cpu", "cpu,cpuacct")
            .map(c -> Path.of("/sys/fs/cgroup", c, "corral")).toList();

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aMemoryBombIsKilledAtItsLimitAndReported(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            String name = uniqueName("mem");
            Optional<CorralHarness.Result> ran = runLimited(corral, name, List.of("--memory", "64m"), """
                    chunks = []
                    for _ in range(1024):
                        chunks.append(bytearray(1 << 20))   # zero-filled: every page touched
                    print('survived 1 GiB', flush=True)
                    """);
            ran.ifPresent(r -> {
                assertFalse(r.stdout().contains("survived"), () -> "1 GiB fitted in a 64 MiB sandbox:\n" + r);
                assertEquals(137, r.exit(), r::toString);
                assertTrue(r.stderr().contains("ran out of memory"), () -> "the memory kill was not reported:\n" + r);
                assertEquals(List.of(), leftoverCgroups(name), "the sandbox's cgroups were left behind");
            });
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aForkBombStopsAtTheProcessLimitAndLeavesNothingBehind(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            String name = uniqueName("pids");
            String marker = HostMarkers.sleepMarker();
            Optional<CorralHarness.Result> ran = runLimited(corral, name, List.of("--pids", "64"), """
                    started = 0
                    for _ in range(300):
                        try:
                            pid = os.fork()
                        except OSError:
                            break
                        if pid == 0:
                            os.execv('/bin/sleep', ['sleep', '%s'])
                        started += 1
                    print('started', started, flush=True)
                    """.formatted(marker));
            ran.ifPresent(r -> {
                int started = Integer.parseInt(r.stdout().replaceAll("(?s).*started (\\d+).*", "$1"));
                assertTrue(started < 64, () -> started + " processes started under --pids 64:\n" + r);
                assertTrue(r.stderr().contains("process limit"), () -> "hitting the process limit was not reported:\n" + r);
                assertEquals(List.of(), HostMarkers.processesWith(marker), "processes of the fork bomb outlived the run");
                assertEquals(List.of(), leftoverCgroups(name), "the sandbox's cgroups were left behind");
            });
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aBusyLoopGetsNoMoreThanItsCpuShare(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            Optional<CorralHarness.Result> ran = runLimited(corral, uniqueName("cpu"), List.of("--cpus", "0.5"), """
                    start = time.monotonic()
                    while time.monotonic() - start < 2:
                        pass
                    print('cpu seconds', time.process_time(), flush=True)
                    """);
            ran.ifPresent(r -> {
                assertEquals(0, r.exit(), r::toString);
                double cpu = Double.parseDouble(r.stdout().replaceAll("(?s).*cpu seconds ([0-9.]+).*", "$1"));
                assertTrue(cpu <= 1.3, () -> cpu + " CPU seconds in 2 s at --cpus 0.5:\n" + r);
            });
        }
    }

    /** Asks for each limit in turn on an existing sandbox, and for one on a sandbox that doesn't exist yet. */
    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aLimitThatCannotBeEnforcedStopsTheRunBeforeAnythingRuns(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            String name = uniqueName("keep");
            CorralHarness.Result first = corral.corral("run", "--name", name, "--", "true");
            assertEquals(0, first.exit(), first::toString);
            String before = corral.corral("inspect", name).stdout();
            for (List<String> limit : List.of(List.of("--memory", "256m"), List.of("--cpus", "1.5"), List.of("--pids", "500"))) {
                Path marker = corral.workspace().resolve("ran" + limit.getFirst());
                List<String> args = new ArrayList<>(List.of("run", "--name", name));
                args.addAll(limit);
                args.addAll(List.of("--", "touch", marker.toString()));
                CorralHarness.Result r = corral.corral(args.toArray(String[]::new));
                String after = corral.corral("inspect", name).stdout();
                if (limitsEnforceable(invoker, backend)) {
                    assertEquals(0, r.exit(), r::toString);
                    assertTrue(Files.exists(marker), r::toString);
                    assertNotEquals(before, after, "the new limit was not stored");
                } else {
                    assertRefused(r, limit.getFirst());
                    assertFalse(Files.exists(marker), () -> "the command ran although " + limit + " could not be enforced:\n" + r);
                    assertEquals(before, after, "a refused run changed the sandbox's stored settings");
                }
                before = after;
            }
            String fresh = uniqueName("new");
            CorralHarness.Result r = corral.corral("run", "--name", fresh, "--memory", "256m", "--", "true");
            if (!limitsEnforceable(invoker, backend)) {
                assertRefused(r, "--memory");
                assertNotEquals(0, corral.corral("inspect", fresh).exit(), "a refused run left a sandbox behind");
            } else {
                assertEquals(0, r.exit(), r::toString);
            }
        }
    }

    /**
     * Without any explicit limit a thread bomb must still stop somewhere below the host's own
     * limits (Corral's default process cap is 4096): threads count as processes for the kernel.
     */
    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aProcessBombWithoutExplicitLimitsIsStillBounded(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            CorralHarness.Result r = corral.corral("run", "--", SandboxPython.PYTHON, "-c", """
                    import threading
                    threading.stack_size(64 * 1024)
                    stop = threading.Event()
                    started = 0
                    try:
                        for _ in range(4500):
                            threading.Thread(target=stop.wait, daemon=True).start()
                            started += 1
                    except RuntimeError:
                        pass
                    print('started', started, flush=True)
                    stop.set()
                    """);
            int started = Integer.parseInt(r.stdout().replaceAll("(?s).*started (\\d+).*", "$1"));
            assertTrue(started < 4500, () -> "4500 threads started in a sandbox with no process cap (" + invoker + "):\n" + r);
        }
    }

    /**
     * /tmp is size-limited (1 GiB, or half of --memory) so a sandbox can't fill the host's memory
     * with files; no other writable memory filesystem inside (/dev, /dev/shm) may be larger.
     */
    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void noWritableMemoryFilesystemInsideIsLargerThanTmp(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            SandboxPython.Outcomes o = SandboxPython.run(corral, """
                    def size(path):
                        s = os.statvfs(path)
                        return s.f_blocks * s.f_frsize
                    limit = size('/tmp')
                    report('tmp size', limit)
                    too_big = []
                    for line in open('/proc/self/mountinfo'):
                        fields = line.split()
                        mount_point, options = fields[4], fields[5]
                        fstype = fields[fields.index('-') + 1]
                        if fstype == 'tmpfs' and 'rw' in options.split(',') and os.access(mount_point, os.W_OK):
                            if size(mount_point) > limit:
                                too_big.append(f'{mount_point} ({size(mount_point) >> 20} MiB)')
                    report('larger writable memory filesystems', too_big)
                    """);
            assertTrue(Long.parseLong(o.get("tmp size")) <= 1L << 30, o.result()::toString);
            o.assertEach("[]", "larger writable memory filesystems");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void theSandboxCannotReachTheCgroupFilesystemOrSeeItsHostPath(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            SandboxPython.Outcomes o = SandboxPython.run(corral, """
                    report('/sys/fs/cgroup exists', str(os.path.exists('/sys/fs/cgroup')))
                    report('cgroup paths', sorted({line.strip().split(':', 2)[2] for line in open('/proc/self/cgroup')}))
                    attempt('mount cgroup2', 165, ptr(b'none'), ptr(b'/tmp'), ptr(b'cgroup2'), 0, 0)
                    attempt('mount cgroup v1 pids', 165, ptr(b'none'), ptr(b'/tmp'), ptr(b'cgroup'), 0, ptr(b'pids'))
                    """);
            o.assertEach("False", "/sys/fs/cgroup exists");
            o.assertEach("['/']", "cgroup paths");
            o.assertEach("EPERM", "mount cgroup2", "mount cgroup v1 pids");
        }
    }

    /** While it runs, every process of a limited sandbox is in its cgroup on the host; ending corral removes them all. */
    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void everyProcessOfALimitedSandboxIsInItsCgroup(Invoker invoker, SandboxBackend backend) throws IOException {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            String name = uniqueName("member");
            String marker = HostMarkers.sleepMarker();
            if (!limitsEnforceable(invoker, backend)) {
                assertRefused(corral.corral("run", "--name", name, "--pids", "100", "--", "sleep", marker), "--pids");
                return;
            }
            CorralHarness.Background running = corral.corralInBackground("run", "--name", name, "--pids", "100", "--", "/bin/sh", "-c",
                    "setsid sleep " + marker + " & (sleep " + marker + " &) ; exec sleep " + marker);
            assertTrue(HostMarkers.awaitSleepers(marker, 3, Duration.ofSeconds(60)), "the sandbox did not start");
            // natively Corral's own cgroup; on Docker the container's, which the engine names after its id
            String cgroup = backend == SandboxBackend.NATIVE ? "/corral/" + name + "-"
                    : "/" + CorralHarness.run("docker", "ps", "-q", "--no-trunc", "--filter", "label=dev.corral.sandbox=" + name).strip();
            for (long pid : HostMarkers.sleepers(marker)) {
                String cgroups = Files.readString(Path.of("/proc", Long.toString(pid), "cgroup"));
                assertTrue(cgroups.lines().anyMatch(l -> l.contains(":pids:") && l.contains(cgroup) && cgroup.length() > 10),
                        () -> "process " + pid + " is outside the sandbox's pids cgroup " + cgroup + ":\n" + cgroups);
            }
            running.process().destroy();
            assertTrue(running.await(Duration.ofSeconds(30)).isPresent(), "corral did not end on SIGTERM");
            assertEquals(List.of(), HostMarkers.awaitNone(marker, Duration.ofSeconds(10)), "the sandbox outlived corral");
            assertEquals(List.of(), leftoverCgroups(name), "the sandbox's cgroups were left behind");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void theCommandsExitStatusComesBack(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            CorralHarness.Result r = corral.sandbox("exit 3");
            assertEquals(3, r.exit(), r::toString);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aCommandKilledBySigkillEndsWith137(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            CorralHarness.Result r = corral.sandbox("kill -KILL $$");
            assertEquals(137, r.exit(), r::toString);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aCommandKilledBySigtermEndsWith143(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            CorralHarness.Result r = corral.sandbox("kill -TERM $$");
            assertEquals(143, r.exit(), r::toString);
        }
    }

    /**
     * Runs a Python program (after touching a marker file) with the limits, in a sandbox of its own
     * name. Where the invoker can't have limits enforced, asserts the refusal and returns empty.
     */
    private static Optional<CorralHarness.Result> runLimited(CorralHarness corral, String name, List<String> limits, String program) {
        Path marker = corral.workspace().resolve("ran-" + name);
        List<String> args = new ArrayList<>(List.of("run", "--name", name));
        args.addAll(limits);
        args.addAll(List.of("--", SandboxPython.PYTHON, "-c",
                "import os, time\nopen('" + marker + "', 'w').close()\n" + program));
        CorralHarness.Result r = corral.corral(args.toArray(String[]::new));
        if (limitsEnforceable(corral.invoker(), corral.backend())) {
            assertTrue(Files.exists(marker), () -> "the program did not run:\n" + r);
            return Optional.of(r);
        }
        assertRefused(r, limits.getFirst());
        assertFalse(Files.exists(marker), () -> "the program ran although " + limits + " could not be enforced:\n" + r);
        return Optional.empty();
    }

    /** Exit 125 and one line on stderr naming the limit, the cause and a way out. */
    private static void assertRefused(CorralHarness.Result r, String flag) {
        assertEquals(125, r.exit(), r::toString);
        List<String> lines = r.stderr().strip().lines().toList();
        assertEquals(1, lines.size(), () -> "expected one line on stderr:\n" + r);
        String line = lines.getFirst();
        assertTrue(line.contains(flag), () -> "the message doesn't name " + flag + ":\n" + r);
        assertTrue(line.contains("cgroup"), () -> "the message doesn't give the cause:\n" + r);
        assertTrue(line.contains("run as root") || line.contains("systemd") || line.contains("delegat"),
                () -> "the message doesn't say what to do:\n" + r);
    }

    /**
     * Root can always use the cgroup filesystem; an ordinary user only through cgroup v2
     * delegation, which a cgroup v1 or hybrid host like this one does not offer. On Docker the engine enforces them for everyone.
     */
    private static boolean limitsEnforceable(Invoker invoker, SandboxBackend backend) {
        return backend == SandboxBackend.DOCKER || invoker == Invoker.ROOT || Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
    }

    /** Cgroups Corral created for this sandbox and did not remove. */
    private static List<Path> leftoverCgroups(String name) {
        List<Path> left = new ArrayList<>();
        for (Path hierarchy : V1_HIERARCHIES) {
            if (!Files.isDirectory(hierarchy)) continue;
            try (Stream<Path> dirs = Files.list(hierarchy)) {
                dirs.filter(d -> d.getFileName().toString().startsWith(name + "-")).forEach(left::add);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return left;
    }

    private static String uniqueName(String purpose) {
        return "res-" + purpose + "-" + Attacks.token().substring(0, 8);
    }
}
