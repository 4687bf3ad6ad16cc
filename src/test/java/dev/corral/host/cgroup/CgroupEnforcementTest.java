package dev.corral.host.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The limits hold against the real kernel: memory bomb, fork bomb, busy loop. Needs root. */
@Tag("sandbox")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CgroupEnforcementTest {

    private static final String SANDBOX = "cgroup-test";
    /** Joins every cgroup given as an argument, then runs $PROGRAM in python. */
    private static final String JOIN_THEN_PYTHON = "for f in \"$@\"; do echo $$ > \"$f\"; done; exec \"$PYTHON\" -c \"$PROGRAM\"";
    /** Joins, then forks a binary tree of sleeping shells 2^11 deep: bounded even if the limit failed. */
    private static final String JOIN_THEN_FORK_BOMB = "for f in \"$@\"; do echo $$ > \"$f\"; done; "
            + "bomb() { if [ \"$1\" -lt 11 ]; then bomb $(($1 + 1)) & bomb $(($1 + 1)) & fi; sleep 60; }; bomb 0";

    @TempDir Path tmp;
    private final List<Confinement> opened = new ArrayList<>();

    @BeforeAll
    static void asRoot() {
        assumeTrue(HostFacts.ofThisProcess().isRoot(), "the cgroup enforcement tests need root");
    }

    @AfterEach
    void everyCgroupIsGone() throws IOException {
        opened.forEach(Confinement::close);
        for (Confinement confinement : opened) {
            for (Path procs : confinement.procsFiles()) assertFalse(Files.exists(procs.getParent()), procs.getParent() + " left behind");
        }
    }

    private Confinement prepare(CgroupLimits limits) {
        Confinement confinement = Cgroups.forHost().prepare(SANDBOX, limits);
        opened.add(confinement);
        assertTrue(confinement.enforced());
        assertFalse(confinement.procsFiles().isEmpty(), "root uses the cgroup filesystem directly");
        return confinement;
    }

    private Process start(Confinement confinement, String script, String program) throws IOException {
        List<String> argv = new ArrayList<>(List.of("bash", "-c", script, "bash"));
        confinement.procsFiles().forEach(f -> argv.add(f.toString()));
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
        builder.environment().put("PYTHON", Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3");
        builder.environment().put("PROGRAM", program);
        return builder.start();
    }

    @Test
    void memoryBombIsKilledInsideItsCgroup() throws Exception {
        Confinement cgroup = prepare(new CgroupLimits(OptionalLong.of(64L << 20), OptionalDouble.empty(), OptionalLong.of(64)));

        Process bomb = start(cgroup, JOIN_THEN_PYTHON, "x = []\nwhile True: x.append(bytearray(1 << 20))");

        assertTrue(bomb.waitFor(60, TimeUnit.SECONDS), "the memory bomb is still running");
        String err = Files.readString(tmp.resolve("err"));
        assertTrue(bomb.exitValue() == 137 || err.contains("MemoryError"), "exit " + bomb.exitValue() + ": " + err);
        if (bomb.exitValue() == 137) assertTrue(cgroup.events().oomKills() >= 1, cgroup.events().toString());
    }

    @Test
    void forkBombStopsAtThePidsLimitAndKillAllLeavesNothing() throws Exception {
        Confinement cgroup = prepare(new CgroupLimits(OptionalLong.of(512L << 20), OptionalDouble.empty(), OptionalLong.of(64)));
        assertEquals("64", Files.readString(controlFile(cgroup, "pids.max")).trim(), "the limit is in place before the bomb");

        Process bomb = start(cgroup, JOIN_THEN_FORK_BOMB, "");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (cgroup.events().pidsLimitHits() == 0 && System.nanoTime() < deadline) Thread.sleep(50);

        assertTrue(cgroup.events().pidsLimitHits() >= 1, "the pids limit was never hit");
        assertTrue(pidsIn(cgroup).size() <= 64, pidsIn(cgroup).size() + " processes");
        cgroup.killAll();
        assertEquals(List.of(), pidsIn(cgroup));
        assertTrue(bomb.waitFor(10, TimeUnit.SECONDS));
        cgroup.close();
        for (Path procs : cgroup.procsFiles()) assertFalse(Files.exists(procs.getParent()));
    }

    @Test
    void halfACpuHalvesABusyLoop() throws Exception {
        Confinement cgroup = prepare(new CgroupLimits(OptionalLong.empty(), OptionalDouble.of(0.5), OptionalLong.empty()));

        Process loop = start(cgroup, JOIN_THEN_PYTHON,
                "import time\nend = time.monotonic() + 2\nwhile time.monotonic() < end: pass\nprint(time.process_time())");

        assertTrue(loop.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, loop.exitValue(), Files.readString(tmp.resolve("err")));
        double cpuSeconds = Double.parseDouble(Files.readString(tmp.resolve("out")).trim());
        assertTrue(cpuSeconds > 0.5 && cpuSeconds < 1.5, "a 2 s busy loop at half a CPU used " + cpuSeconds + " s of CPU");
    }

    @Test
    void cgroupKillEmptiesARealUnifiedCgroupAndCloseRemovesIt() throws Exception {
        CgroupLayout.Mount unified = CgroupLayout.of(HostFacts.ofThisProcess()).unified().orElse(null);
        assumeTrue(unified != null && unified.writable(), "no writable cgroup v2 hierarchy");
        CgroupOs os = new LinuxCgroupOs();
        Path parent = unified.path().resolve(CgroupNames.PARENT);
        ControlFiles.createIfAbsent(os, parent);
        Path dir = parent.resolve(CgroupNames.instance(SANDBOX));
        ControlFiles.create(os, dir);
        Confinement cgroup = CgroupDirectories.v2(os, dir);
        opened.add(cgroup);

        Process sleeper = new ProcessBuilder("bash", "-c", "echo $$ > \"$1\"; sleep 60 & sleep 60 & wait", "bash",
                cgroup.procsFiles().getFirst().toString()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pidsIn(cgroup).size() < 3 && System.nanoTime() < deadline) Thread.sleep(20);
        assertEquals(3, pidsIn(cgroup).size());

        cgroup.close();

        assertTrue(sleeper.waitFor(10, TimeUnit.SECONDS));
        assertEquals(137, sleeper.exitValue());
        assertFalse(Files.exists(dir));
        try {
            os.removeDirectory(parent); // this host never uses the unified hierarchy otherwise
        } catch (IOException stillInUse) {
            // another run's cgroup is in it
        }
    }

    @Test
    void probeOnThisHostFindsAStrategyForEveryController() {
        CgroupSupport support = Cgroups.forHost().probe();

        assertTrue(support.strategy().startsWith("cgroupfs-"), support.toString());
        assertTrue(support.canLimit("memory") && support.canLimit("pids") && support.canLimit("cpu"), support.toString());
    }

    private static Path controlFile(Confinement cgroup, String name) {
        return cgroup.procsFiles().stream().map(p -> p.resolveSibling(name)).filter(Files::exists).findFirst().orElseThrow();
    }

    private static List<Long> pidsIn(Confinement cgroup) {
        List<Long> pids = new ArrayList<>();
        for (Path procs : cgroup.procsFiles()) {
            try {
                for (String line : Files.readAllLines(procs)) if (!line.isBlank()) pids.add(Long.parseLong(line.trim()));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return pids.stream().distinct().toList();
    }
}
