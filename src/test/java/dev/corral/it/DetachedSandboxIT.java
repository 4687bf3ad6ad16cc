package dev.corral.it;

import dev.corral.support.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Sandboxes in the background ({@code run -d}): the command returns once the sandbox is up, its
 * terminal is kept by its supervisor for {@code attach} and {@code logs}, the terminal that started
 * it can go away, and a supervisor killed outright leaves nothing running and nothing broken.
 */
class DetachedSandboxIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aDetachedRunReturnsOnceUpThenAttachAndLogsReachItsTerminal(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            CorralHarness.Result start = corral.corral("run", "-d", "--name", "bg", "--", "sh", "-c",
                    "echo hello-from-bg; test -t 0 && test -t 1 && echo on-a-terminal; read line; echo \"got $line\"; exit 7");

            assertEquals(0, start.exit(), start::toString);
            assertEquals("bg\n", start.stdout(), "prints the sandbox's name, and only that, on stdout: " + start);
            assertTrue(start.stderr().contains("corral attach bg"), start::toString);
            Map<String, Object> listed = sandbox(corral, "bg");
            assertEquals("running", listed.get("status"), listed::toString);
            assertTrue(listed.get("uptimeSeconds") instanceof Number, listed::toString);
            if (invoker == Invoker.ROOT) assertTrue(listed.get("memoryBytes") instanceof Number, "memory in use: " + listed);
            awaitLog(corral, "bg", "hello-from-bg");
            assertTrue(corral.corral("logs", "bg").stdout().contains("on-a-terminal"), "its terminal is a pty of its own");

            CorralHarness.Result attach = corral.corralWithInput("ping\n", "attach", "bg");

            assertEquals(7, attach.exit(), "attach ends with the sandbox's exit status: " + attach);
            assertTrue(attach.stdout().contains("got ping"), "typed input reached the sandbox: " + attach);
            Map<String, Object> ended = sandbox(corral, "bg");
            assertEquals("stopped", ended.get("status"), ended::toString);
            assertEquals(7, ((Number) ((Map<?, ?>) ended.get("exit")).get("status")).intValue(), ended::toString);
            assertTrue(corral.corral("ls").stdout().contains("exited (7)"), "ls says how it ended");
            CorralHarness.Result logs = corral.corral("logs", "--tail", "1", "bg");
            assertEquals(0, logs.exit(), logs::toString);
            assertTrue(logs.stdout().contains("got ping") && !logs.stdout().contains("hello-from-bg"), "the last line only: " + logs);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void theDetachKeysLeaveItRunningAndFollowingLogsEndsWithIt(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            assertEquals(0, corral.corral("run", "-d", "--name", "keys", "--", "sh", "-c",
                    "read line; echo \"then $line\"; sleep 2; echo bye").exit());

            CorralHarness.Result detach = corral.corralWithInput("\u0010\u0011", "attach", "keys");

            assertEquals(0, detach.exit(), detach::toString);
            assertTrue(detach.stderr().contains("detached from keys"), detach::toString);
            assertEquals("running", sandbox(corral, "keys").get("status"), "it keeps running after a detach");
            CorralHarness.Background follow = corral.corralInBackground("logs", "-f", "keys");
            CorralHarness.Result typed = corral.corralWithInput("more\n", "attach", "keys");
            assertEquals(0, typed.exit(), typed::toString);
            Optional<CorralHarness.Result> followed = follow.await(WAIT);
            assertTrue(followed.isPresent(), "logs -f ends when the sandbox does");
            assertTrue(followed.get().stdout().contains("then more") && followed.get().stdout().contains("bye"), followed.get()::toString);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void closingTheTerminalThatStartedItDoesNotStopIt(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            // the starting shell's whole process group gets a hang-up, as when its terminal closes
            CorralHarness.Result start = corral.corralVia(List.of("setsid", "sh", "-c", "\"$@\"; kill -HUP 0", "sh"), Map.of(),
                    "run", "-d", "--name", "hup", "--", "sleep", "600");

            assertTrue(start.stdout().contains("hup"), start::toString);
            sleep(1000);
            Map<String, Object> listed = sandbox(corral, "hup");
            assertEquals("running", listed.get("status"), "still running after the hang-up: " + listed);
            long supervisor = ((Number) listed.get("pid")).longValue();
            assertFalse(sessionOf(supervisor).equals(sessionOf(ProcessHandle.current().pid())), "the supervisor has a session of its own");
            assertEquals(0, corral.corral("exec", "hup", "--", "true").exit());

            assertEquals(0, corral.corral("stop", "hup").exit());
            assertTrue(corral.corral("ls").stdout().lines().anyMatch(l -> l.startsWith("hup ") && l.contains(" stopped ")),
                    "a stopped sandbox is listed as stopped, not as exited by itself");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aKilledSupervisorLeavesNoProcessAndTheSandboxStartsAgain(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            Path other = Files.createDirectories(corral.root().resolve("work/other"));
            corral.chownTree(other);
            String marker = HostMarkers.sleepMarker();
            assertEquals(0, corral.corral("run", "-d", "--name", "victim", "--", "sh", "-c", "sleep " + marker + " & sleep " + marker).exit());
            assertEquals(0, corral.corralIn(other, "run", "-d", "--name", "bystander", "--", "sleep", "602").exit());
            long supervisor = ((Number) sandbox(corral, "victim").get("pid")).longValue();
            // natively all of the sandbox descends from its supervisor; a container's processes are the engine's children
            List<Long> processes = new java.util.ArrayList<>(backend == SandboxBackend.NATIVE ? descendants(supervisor) : List.of());
            assertTrue(HostMarkers.awaitSleepers(marker, 2, WAIT), "the sandbox's commands did not start");
            processes.addAll(HostMarkers.sleepers(marker));
            assertTrue(processes.size() >= (backend == SandboxBackend.NATIVE ? 3 : 2), "bubblewrap, the forwarder and the command: " + processes);

            assertTrue(ProcessHandle.of(supervisor).orElseThrow().destroyForcibly(), "SIGKILL to the supervisor");

            long deadline = System.nanoTime() + WAIT.toNanos();
            List<Long> alive = processes;
            while (System.nanoTime() < deadline && !(alive = living(processes)).isEmpty()) sleep(100);
            assertEquals(List.of(), alive, "nothing of the sandbox outlives its supervisor");
            assertEquals("stopped", sandbox(corral, "victim").get("status"));
            assertEquals("running", sandbox(corral, "bystander").get("status"), "another sandbox is not affected");
            assertEquals(0, corral.corral("exec", "bystander", "--", "true").exit());

            CorralHarness.Result again = corral.corral("run", "-d", "--name", "victim", "--", "sleep", "603");

            assertEquals(0, again.exit(), "starts again cleanly: " + again);
            assertEquals(0, corral.corral("exec", "victim", "--", "true").exit());
            assertEquals(0, corral.corral("rm", "-f", "victim").exit());
            assertEquals("running", sandbox(corral, "bystander").get("status"), "removing one leaves the other running");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aDetachedRunThatCannotStartFailsLikeARun(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            CorralHarness.Result bad = corral.corral("run", "-d", "--memory", "1k", "--", "true");

            assertEquals(125, bad.exit(), bad::toString);
            assertEquals("", bad.stdout(), bad::toString);
            assertEquals(1, bad.stderr().lines().count(), "one line: " + bad);
            assertTrue(bad.stderr().contains("--memory 1k is too small"), bad::toString);
        }
    }

    static Map<String, Object> sandbox(CorralHarness corral, String name) {
        CorralHarness.Result ls = corral.corral("ls", "--json");
        assertEquals(0, ls.exit(), ls::toString);
        for (Object item : (List<?>) Json.parse(ls.stdout())) {
            @SuppressWarnings("unchecked") Map<String, Object> map = (Map<String, Object>) item;
            if (name.equals(map.get("name"))) return map;
        }
        return fail(name + " is not listed: " + ls);
    }

    static void awaitLog(CorralHarness corral, String name, String text) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (corral.corral("logs", name).stdout().contains(text)) return;
            sleep(200);
        }
        fail(name + "'s log never showed " + text + ": " + corral.corral("logs", name));
    }

    /** Every process below {@code pid}, read from /proc. */
    static List<Long> descendants(long pid) {
        List<Long> found = new ArrayList<>();
        List<Long> todo = new ArrayList<>(List.of(pid));
        while (!todo.isEmpty()) {
            long parent = todo.removeLast();
            ProcessHandle.allProcesses().filter(p -> p.parent().map(ProcessHandle::pid).orElse(-1L) == parent).forEach(p -> {
                found.add(p.pid());
                todo.add(p.pid());
            });
        }
        return found;
    }

    private static List<Long> living(List<Long> pids) {
        return pids.stream().filter(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)).toList();
    }

    private static String sessionOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[3];
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
