package dev.corral.it;

import static dev.corral.it.CliContractIT.assertNothingCreated;
import static dev.corral.it.CliContractIT.assertOneLineFailure;
import static dev.corral.it.CliContractIT.listing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.corral.support.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sandboxes over time: created by a run, listed, inspected, persistent, updated, entered while
 * running, stopped and removed — as root and as an ordinary user.
 */
class SandboxLifecycleIT {
    private static final Duration START = Duration.ofSeconds(30);

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aRunCreatesASandboxNamedAfterTheWorkspaceThatIsListedAsStopped(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            CorralHarness.Result run = corral.sandbox("echo $CORRAL_SANDBOX; hostname");

            assertEquals(0, run.exit(), run::toString);
            assertEquals("shell-project\nshell-project\n", run.stdout());
            CorralHarness.Result ls = corral.corral("ls");
            assertEquals(0, ls.exit(), ls::toString);
            List<String> lines = ls.stdout().lines().toList();
            assertEquals(2, lines.size(), ls::toString);
            assertTrue(lines.get(0).startsWith("NAME"), ls::toString);
            assertTrue(lines.get(1).matches("shell-project\\s+shell\\s+-\\s+exited \\(0\\)\\s+-\\s+-\\s+-\\s+-\\s+"
                            + Pattern.quote(corral.workspace().toString()) + "\\s*"), ls::toString);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void lsJsonIsOneArrayOfSandboxes(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            assertEquals(List.of(), lsJson(corral), "no sandboxes yet");
            assertEquals(0, corral.corral("run", "--", "true").exit());
            assertEquals(0, corral.corral("run", "--name", "second", "--", "true").exit());

            List<Map<String, Object>> sandboxes = lsJson(corral);

            assertEquals(2, sandboxes.size(), sandboxes::toString);
            assertEquals(List.of("second", "shell-project"), sandboxes.stream().map(s -> s.get("name")).sorted().toList());
            for (Map<String, Object> s : sandboxes) {
                assertEquals(corral.workspace().toString(), s.get("workspace"));
                assertEquals("stopped", s.get("status"));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void inspectShowsTheSandboxAsOneJsonDocument(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            Instant before = Instant.now();
            boolean limited = invoker == Invoker.ROOT;
            CorralHarness.Result run = limited
                    ? corral.corral("run", "--pids", "256", "-e", "SECRET_TOKEN=hunter2", "--", "true")
                    : corral.corral("run", "-e", "SECRET_TOKEN=hunter2", "--", "true");
            assertEquals(0, run.exit(), run::toString);

            CorralHarness.Result r = corral.corral("inspect", "shell-project");

            assertEquals(0, r.exit(), r::toString);
            Map<String, Object> json = Json.parseObject(r.stdout());
            assertEquals("shell-project", json.get("name"));
            assertEquals(corral.workspace().toString(), json.get("workspace"));
            assertEquals("stopped", json.get("status"));
            assertEquals(backend.name().toLowerCase(java.util.Locale.ROOT), json.get("backend"));
            assertEquals(limited ? Map.of("pids", 256L) : Map.of(), json.get("limits"));
            Instant created = Instant.parse((String) json.get("created"));
            assertFalse(created.isBefore(before.minusSeconds(5)), created::toString);
            assertFalse(r.stdout().contains("hunter2"), "environment values are not shown: " + r.stdout());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void thePrivateHomePersistsBetweenRunsAndGoesWithRm(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            CorralHarness.Result write = corral.sandbox("echo kept > ~/.marker && mkdir -p ~/.local/bin && echo tool > ~/.local/bin/tool");
            assertEquals(0, write.exit(), write::toString);

            CorralHarness.Result read = corral.sandbox("cat ~/.marker ~/.local/bin/tool; echo $HOME");

            assertEquals(0, read.exit(), read::toString);
            assertEquals("kept\ntool\n" + corral.home() + "\n", read.stdout());
            assertFalse(Files.exists(corral.home().resolve(".marker")), "the user's real home is untouched");
            Path sandboxDir = corral.sandboxesDir().resolve("shell-project");
            Path home = corral.sandboxHome("shell-project");
            assertTrue(Files.isRegularFile(home.resolve(".marker")));

            CorralHarness.Result rm = corral.corral("rm", "shell-project");

            assertEquals(0, rm.exit(), rm::toString);
            assertFalse(Files.exists(sandboxDir), "rm removes the settings and the home");
            assertFalse(Files.exists(home), "rm removes the home (on Docker, its volume)");
            assertEquals(List.of(), lsJson(corral));
            CorralHarness.Result fresh = corral.sandbox("cat ~/.marker 2>/dev/null || echo gone");
            assertEquals("gone\n", fresh.stdout(), fresh::toString);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void newLimitsForAnExistingSandboxAreStoredAndAnnouncedInOneLine(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            if (invoker == Invoker.ROOT || backend == SandboxBackend.DOCKER) { // limits are enforceable
                CorralHarness.Result first = corral.corral("run", "--memory", "256m", "--", "true");
                assertEquals(0, first.exit(), first::toString);
                assertEquals("", first.stderr(), "a new sandbox has nothing to announce");

                CorralHarness.Result second = corral.corral("run", "--memory", "512m", "--", "sh", "-c", "echo ran");

                assertEquals(0, second.exit(), second::toString);
                assertEquals("ran\n", second.stdout());
                assertEquals(List.of("corral: updated sandbox shell-project: memory 256 MiB -> 512 MiB"), second.stderr().lines().toList());
                assertEquals(Map.of("memoryBytes", 512L << 20), inspect(corral, "shell-project").get("limits"));

                CorralHarness.Result same = corral.corral("run", "--memory", "512m", "--", "true");
                assertEquals("", same.stderr(), "the same limit again changes nothing: " + same);
            } else {
                CorralHarness.Result first = corral.corral("run", "--", "true");
                assertEquals(0, first.exit(), first::toString);
                String stored = corral.corral("inspect", "shell-project").stdout();

                CorralHarness.Result limited = corral.corral("run", "--memory", "512m", "--", "sh", "-c", "echo ran");

                assertOneLineFailure(limited, "memory");
                assertFalse(limited.stderr().contains("updated sandbox"), limited::toString);
                assertEquals(stored, corral.corral("inspect", "shell-project").stdout(), "the stored settings are unchanged");
            }
        }
    }

    /** Native only: on Docker the engine enforces limits for every user. */
    @ParameterizedTest
    @EnumSource(value = Invoker.class, names = "USER")
    void aNewSandboxWithALimitThatCannotBeEnforcedLeavesNothingBehind(Invoker invoker) {
        try (CorralHarness corral = new CorralHarness(invoker)) {
            CorralHarness.Result r = corral.corral("run", "--pids", "100", "--", "sh", "-c", "echo ran");

            assertOneLineFailure(r, "--pids");
            assertNothingCreated(corral);
            assertEquals(List.of(), listing(corral.workspace()), "no mount point is left in the workspace");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aRunningSandboxCanBeEnteredWithExecAndStopped(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            CorralHarness.Background bg = corral.corralInBackground("run", "--name", "bg", "--", "sh", "-c",
                    "echo hello > /tmp/shared; grep -E '^(Seccomp|CapEff|NoNewPrivs):' /proc/self/status > /tmp/first-status; exec sleep 60");
            awaitStatus(corral, "bg", "running", bg);
            awaitFile(corral, "bg", "/tmp/first-status");

            CorralHarness.Result exec = corral.corral("exec", "bg", "--", "sh", "-c",
                    "echo shared=$(cat /tmp/shared); echo host=$(hostname); echo sandbox=$CORRAL_SANDBOX; echo pwd=$(pwd);"
                            + " grep -E '^(Seccomp|CapEff|NoNewPrivs):' /proc/self/status; echo first:; cat /tmp/first-status;"
                            + " echo procs=$(cat /proc/[0-9]*/cmdline 2>/dev/null | tr '\\0' ' ')");

            assertEquals(0, exec.exit(), exec::toString);
            String out = exec.stdout();
            assertTrue(out.contains("shared=hello\n"), "sees what the first process wrote in its /tmp: " + exec);
            assertTrue(out.contains("host=bg\n"), exec::toString);
            assertTrue(out.contains("sandbox=bg\n"), exec::toString);
            assertTrue(out.contains("pwd=" + corral.workspace() + "\n"), exec::toString);
            assertTrue(out.contains("sleep 60"), "sees the first process: " + exec);
            String[] halves = out.split("first:\n", 2);
            for (String half : halves) {
                assertTrue(half.contains("NoNewPrivs:\t1\n"), exec::toString);
                assertTrue(half.contains("Seccomp:\t2\n"), exec::toString);
                assertTrue(half.contains("CapEff:\t0000000000000000\n"), exec::toString);
            }
            CorralHarness.Result status = corral.corral("exec", "bg", "--", "sh", "-c", "exit 5");
            assertEquals(5, status.exit(), "exec returns the command's status: " + status);

            CorralHarness.Result stop = corral.corral("stop", "bg");

            assertEquals(0, stop.exit(), stop::toString);
            assertEquals("stopped", statusOf(corral, "bg"));
            Optional<CorralHarness.Result> ended = bg.await(Duration.ofSeconds(20));
            assertTrue(ended.isPresent(), "the background corral exits once its sandbox is stopped");
            CorralHarness.Result execStopped = corral.corral("exec", "bg", "--", "true");
            assertOneLineFailure(execStopped, "not running");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aStoppedSandboxLeavesNoMountPointInTheWorkspace(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            CorralHarness.Background bg = corral.corralInBackground("run", "--name", "bg", "--", "sh", "-c", "echo up > /tmp/up; exec sleep 60");
            awaitStatus(corral, "bg", "running", bg);
            awaitFile(corral, "bg", "/tmp/up");
            assertTrue(Files.isDirectory(corral.workspace().resolve(".git")), "the empty read-only .git is mounted while it runs");

            assertEquals(0, corral.corral("stop", "bg").exit());

            assertTrue(bg.await(Duration.ofSeconds(20)).isPresent(), "the background corral exits");
            assertEquals(List.of(), listing(corral.workspace()), "stop removes the .git mount point as a finished run does");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aSecondRunOfARunningSandboxIsRefusedAndPointsToExec(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            CorralHarness.Background bg = corral.corralInBackground("run", "--name", "bg", "--", "sleep", "60");
            awaitStatus(corral, "bg", "running", bg);

            CorralHarness.Result again = corral.corral("run", "--name", "bg", "--", "sh", "-c", "echo ran");

            assertOneLineFailure(again, "already running");
            assertTrue(again.stderr().contains("corral exec bg"), again::toString);
            assertEquals("running", statusOf(corral, "bg"), "the running one is left alone");
            assertEquals(0, corral.corral("stop", "bg").exit());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void rmOfARunningSandboxNeedsForce(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            CorralHarness.Background bg = corral.corralInBackground("run", "--name", "busy", "--", "sleep", "60");
            awaitStatus(corral, "busy", "running", bg);

            CorralHarness.Result rm = corral.corral("rm", "busy");

            assertOneLineFailure(rm, "running");
            assertTrue(rm.stderr().contains("rm -f busy"), rm::toString);
            assertEquals("running", statusOf(corral, "busy"));

            CorralHarness.Result force = corral.corral("rm", "-f", "busy");

            assertEquals(0, force.exit(), force::toString);
            assertEquals(List.of(), lsJson(corral));
            assertFalse(Files.exists(corral.sandboxesDir().resolve("busy")));
            assertTrue(bg.await(Duration.ofSeconds(20)).isPresent(), "the background corral exits");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aSecondSandboxCannotStartWhereARunningOneCanWrite(Invoker invoker, SandboxBackend backend) throws IOException {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            CorralHarness.Background one = corral.corralInBackground("run", "--name", "one", "--", "sh", "-c",
                    "echo one > /tmp/who; exec sleep 60");
            awaitStatus(corral, "one", "running", one);

            CorralHarness.Result same = corral.corral("run", "--name", "two", "--", "true");
            assertEquals(125, same.exit(), same::toString);
            assertTrue(same.stderr().contains("in use by the running sandbox one") && same.stderr().contains("corral exec one"),
                    same::toString);
            Path inner = corral.workspace().resolve("sub");
            Files.createDirectories(inner);
            corral.chownTree(inner);
            CorralHarness.Result nested = corral.corral("run", "--name", "three", "-w", inner.toString(), "--", "true");
            assertEquals(125, nested.exit(), "a folder inside a running sandbox's workspace: " + nested);

            Path elsewhere = corral.root().resolve("work/other");
            Files.createDirectories(elsewhere);
            corral.chownTree(elsewhere);
            CorralHarness.Result apart = corral.corral("run", "--name", "four", "-w", elsewhere.toString(), "--", "sh", "-c", "echo apart");
            assertEquals("apart\n", apart.stdout(), "another workspace runs alongside: " + apart);

            assertEquals(0, corral.corral("stop", "one").exit());
            CorralHarness.Result after = corral.corral("run", "--name", "two", "--", "sh", "-c", "echo two");
            assertEquals("two\n", after.stdout(), after::toString);
            assertFalse(Files.exists(corral.workspace().resolve(".git")), "no mount point is left");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aWorkspaceThatIsNotAGitRepositoryWorksAndStaysClean(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.writeWorkspaceFile("notes.txt", "before\n");

            CorralHarness.Result r = corral.sandbox("cat notes.txt; echo after >> notes.txt; mkdir -p out && echo x > out/file;"
                    + " git init -q 2>/dev/null && echo git-init-worked || echo no-git-init");

            assertEquals(0, r.exit(), r::toString);
            assertTrue(r.stdout().startsWith("before\n"), r::toString);
            assertTrue(r.stdout().contains("no-git-init"), "a repository planted in the workspace would run on the host: " + r);
            assertEquals(List.of("notes.txt", "out", "out/file"), listing(corral.workspace()), "nothing but the command's own files");
            try {
                assertEquals("before\nafter\n", Files.readString(corral.workspace().resolve("notes.txt")));
            } catch (IOException e) {
                fail(e);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aWorkspacePathWithSpacesAndUnicodeWorks(Invoker invoker, SandboxBackend backend) throws IOException {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            assertEquals("UTF-8", System.getProperty("sun.jnu.encoding"), "the tests need a UTF-8 locale (LANG=C.UTF-8)");
            Path odd = Files.createDirectories(corral.root().resolve("work/my proj ü 日本 'q'"));
            corral.chownTree(corral.root().resolve("work"));

            CorralHarness.Result byOption = corral.corral("run", "-w", odd.toString(), "--", "sh", "-c", "pwd; echo made > 'new ✓.txt'");
            CorralHarness.Result byFolder = corral.corralIn(odd, "run", "--", "sh", "-c", "cat 'new ✓.txt'; echo $CORRAL_SANDBOX");

            assertEquals(0, byOption.exit(), byOption::toString);
            assertEquals(odd + "\n", byOption.stdout());
            assertTrue(Files.isRegularFile(odd.resolve("new ✓.txt")));
            assertEquals(0, byFolder.exit(), byFolder::toString);
            assertEquals("made\nshell-my-proj-q\n", byFolder.stdout());
            List<Map<String, Object>> sandboxes = lsJson(corral);
            assertEquals(1, sandboxes.size(), sandboxes::toString);
            assertEquals(odd.toString(), sandboxes.getFirst().get("workspace"));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void versionPrintsOneLine(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            CorralHarness.Result version = corral.corral("version");
            CorralHarness.Result flag = corral.corral("--version");

            assertEquals(0, version.exit(), version::toString);
            assertTrue(version.stdout().matches("corral \\S+\n"), version::toString);
            assertEquals(version.stdout(), flag.stdout());
            assertNothingCreated(corral);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void doctorListsEachPrerequisite(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            CorralHarness.Result doctor = corral.corral("doctor");

            for (String check : List.of("bubblewrap", "user namespaces", "seccomp", "cgroups")) {
                assertTrue(Pattern.compile("(?m)^(ok  |FAIL|warn)  " + check + "\\s").matcher(doctor.stdout()).find(),
                        check + " is listed: " + doctor);
            }
            if (invoker == Invoker.ROOT) {
                assertEquals(0, doctor.exit(), doctor::toString);
                assertFalse(doctor.stdout().contains("FAIL"), doctor::toString);
            } else if (doctor.exit() != 0) {
                assertEquals(125, doctor.exit(), doctor::toString);
                assertTrue(doctor.stdout().contains("FAIL") && doctor.stdout().contains("fix:"), doctor::toString);
            }
            assertNothingCreated(corral);
        }
    }

    // --- helpers

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> lsJson(CorralHarness corral) {
        CorralHarness.Result r = corral.corral("ls", "--json");
        assertEquals(0, r.exit(), r::toString);
        return (List<Map<String, Object>>) assertInstanceOf(List.class, Json.parse(r.stdout()), r::toString);
    }

    private static Map<String, Object> inspect(CorralHarness corral, String name) {
        CorralHarness.Result r = corral.corral("inspect", name);
        assertEquals(0, r.exit(), r::toString);
        return Json.parseObject(r.stdout());
    }

    private static String statusOf(CorralHarness corral, String name) {
        Map<String, Object> sandbox = lsJson(corral).stream().filter(s -> name.equals(s.get("name"))).findFirst().orElse(null);
        assertNotNull(sandbox, name + " is listed");
        return (String) sandbox.get("status");
    }

    private static void awaitStatus(CorralHarness corral, String name, String status, CorralHarness.Background bg) {
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<CorralHarness.Result> ended = bg.await(Duration.ZERO);
            if (ended.isPresent()) fail("the background corral ended early: " + ended.get());
            if (lsJson(corral).stream().anyMatch(s -> name.equals(s.get("name")) && status.equals(s.get("status")))) return;
            sleep(200);
        }
        fail(name + " did not become " + status + " within " + START);
    }

    private static void awaitFile(CorralHarness corral, String name, String file) {
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            CorralHarness.Result test = corral.corral("exec", name, "--", "test", "-s", file);
            if (test.exit() == 0) return;
            if (test.exit() != 1) fail("corral exec " + name + " failed: " + test);
            sleep(200);
        }
        fail(file + " did not appear in " + name);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
