package dev.corral.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The command-line contract of DESIGN.md: exit statuses (the command's own, 128+N on signal N, 125
 * for Corral's failures with one line on stderr), standard streams passing through, and bad input
 * refused before anything is created.
 */
class CliContractIT {

    // --- bad input: 125, one line "corral: <cause>; <fix>", nothing created

    @ParameterizedTest
    @EnumSource(Invoker.class)
    void unknownOptionsAndCommandsAreRefused(Invoker invoker) {
        try (CorralHarness corral = new CorralHarness(invoker)) {
            assertRefusedCleanly(corral,
                    refused("--frobnicate", "run", "--frobnicate", "--", "true"),
                    refused("--frobnicate", "--frobnicate", "ls"),
                    refused("frobnicate", "frobnicate"),
                    refused("--force", "ls", "--force"),
                    refused("--memory", "run", "--memory"));
        }
    }

    @ParameterizedTest
    @EnumSource(Invoker.class)
    void aWorkspaceThatIsMissingAFileOrTheHomeIsRefused(Invoker invoker) throws IOException {
        try (CorralHarness corral = new CorralHarness(invoker)) {
            Path file = corral.writeWorkspaceFile("file.txt", "x\n");
            assertRefusedCleanly(corral,
                    refused("/nope", "run", "-w", "/nope", "--", "true"),
                    refused("/nope", "run", "--workspace=/nope", "--", "true"),
                    refused(file.toString(), "run", "-w", file.toString(), "--", "true"),
                    refused(corral.home().toString(), "run", "-w", corral.home().toString(), "--", "true"),
                    refused("refusing", "run", "-w", "/", "--", "true"),
                    refused("refusing", "run", "-w", "/usr", "--", "true"));
        }
    }

    @ParameterizedTest
    @EnumSource(Invoker.class)
    void runningInTheHomeItselfIsRefused(Invoker invoker) {
        try (CorralHarness corral = new CorralHarness(invoker)) {
            CorralHarness.Result r = corral.corralIn(corral.home(), "run", "--", "true");

            assertOneLineFailure(r, "refusing");
            assertNothingCreated(corral);
        }
    }

    @ParameterizedTest
    @EnumSource(Invoker.class)
    void malformedLimitsAreRefused(Invoker invoker) {
        try (CorralHarness corral = new CorralHarness(invoker)) {
            assertRefusedCleanly(corral,
                    refused("--memory", "run", "--memory", "12x", "--", "true"),
                    refused("--memory", "run", "--memory", "-5", "--", "true"),
                    refused("--memory", "run", "--memory", "", "--", "true"),
                    refused("--memory", "run", "--memory=", "--", "true"),
                    refused("--memory", "run", "--memory", "1k", "--", "true"),
                    refused("--cpus", "run", "--cpus", "abc", "--", "true"),
                    refused("--cpus", "run", "--cpus", "0", "--", "true"),
                    refused("--cpus", "run", "--cpus", "100000", "--", "true"),
                    refused("--pids", "run", "--pids", "0", "--", "true"),
                    refused("--pids", "run", "--pids", "many", "--", "true"));
        }
    }

    @ParameterizedTest
    @EnumSource(Invoker.class)
    void badVolumesAreRefused(Invoker invoker) {
        try (CorralHarness corral = new CorralHarness(invoker)) {
            Path data = corral.writeWorkspaceFile("data/x", "x").getParent();
            assertRefusedCleanly(corral,
                    refused("/nope/data", "run", "-v", "/nope/data:/data", "--", "true"),
                    refused("volume", "run", "-v", data + ":relative/path", "--", "true"),
                    refused("volume", "run", "-v", data + ":/data:xx", "--", "true"),
                    refused("/proc", "run", "-v", data + ":/proc/x", "--", "true"));
        }
    }

    @ParameterizedTest
    @EnumSource(Invoker.class)
    void namesWithOddCharactersAreRefused(Invoker invoker) {
        try (CorralHarness corral = new CorralHarness(invoker)) {
            assertRefusedCleanly(corral,
                    refused("a/b", "run", "--name", "a/b", "--", "true"),
                    refused("../x", "run", "--name", "../x", "--", "true"),
                    refused("UPPER", "run", "--name", "UPPER", "--", "true"),
                    refused("-x", "run", "--name", "-x", "--", "true"),
                    refused("invalid sandbox name", "run", "--name", "", "--", "true"),
                    refused("invalid sandbox name", "run", "--name", "a b", "--", "true"),
                    refused("invalid sandbox name", "inspect", "../x"),
                    refused("invalid sandbox name", "rm", "-f", "../../.."));
        }
    }

    @ParameterizedTest
    @EnumSource(Invoker.class)
    void badEnvironmentNamesAreRefused(Invoker invoker) {
        try (CorralHarness corral = new CorralHarness(invoker)) {
            assertRefusedCleanly(corral,
                    refused("1BAD", "run", "-e", "1BAD=x", "--", "true"),
                    refused("A-B", "run", "--env", "A-B=x", "--", "true"),
                    refused("NOT_SET_HERE", "run", "-e", "NOT_SET_HERE", "--", "true"));
        }
    }

    @ParameterizedTest
    @EnumSource(Invoker.class)
    void unknownSandboxesAreRefused(Invoker invoker) {
        try (CorralHarness corral = new CorralHarness(invoker)) {
            assertRefusedCleanly(corral,
                    refused("ghost", "exec", "ghost", "--", "true"),
                    refused("ghost", "inspect", "ghost"),
                    refused("ghost", "stop", "ghost"),
                    refused("ghost", "rm", "ghost"),
                    refused("ghost", "rm", "-f", "ghost"));
        }
    }

    @ParameterizedTest
    @EnumSource(Invoker.class)
    void unknownAgentsAndUnavailableBackendsAreRefused(Invoker invoker) {
        try (CorralHarness corral = new CorralHarness(invoker)) {
            assertRefusedCleanly(corral,
                    refused("vim", "run", "vim"),
                    refused("vim", "run", "vim", "--", "-c", "q"),
                    refused("shell", "run", "--agent-version", "1.0"),
                    refused("vm", "run", "--backend", "vm", "--", "true"));
        }
    }

    @ParameterizedTest
    @EnumSource(Invoker.class)
    void aRefusedRunLeavesAnExistingSandboxAsItWas(Invoker invoker) {
        try (CorralHarness corral = new CorralHarness(invoker)) {
            assertEquals(0, corral.corral("run", "--", "true").exit());
            String before = corral.corral("inspect", "shell-project").stdout();

            CorralHarness.Result r = corral.corral("run", "--memory", "12x", "--", "true");

            assertOneLineFailure(r, "--memory");
            assertEquals(before, corral.corral("inspect", "shell-project").stdout());
        }
    }

    // --- exit statuses and streams

    @ParameterizedTest
    @EnumSource(Invoker.class)
    void theCommandsOwnExitStatusComesBack(Invoker invoker) {
        try (CorralHarness corral = new CorralHarness(invoker)) {
            for (int status : new int[]{0, 1, 3, 124, 125, 126, 255}) {
                CorralHarness.Result r = corral.sandbox("exit " + status);
                assertEquals(status, r.exit(), r::toString);
                assertEquals("", r.stderr(), "Corral adds nothing to a command that ran: " + r);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Invoker.class)
    void aCommandKilledBySignalNGives128PlusN(Invoker invoker) {
        try (CorralHarness corral = new CorralHarness(invoker)) {
            assertAll(
                    () -> assertSignalStatus(corral, 137, "/bin/sh", "-c", "kill -KILL $$"),
                    () -> assertSignalStatus(corral, 143, "/bin/sh", "-c", "kill -TERM $$"),
                    () -> assertSignalStatus(corral, 130, "python3", "-c",
                            "import os, signal; signal.signal(signal.SIGINT, signal.SIG_DFL); os.kill(os.getpid(), signal.SIGINT)"),
                    () -> assertSignalStatus(corral, 129, "/bin/sh", "-c", "kill -HUP $$"));
        }
    }

    private static void assertSignalStatus(CorralHarness corral, int expected, String... command) {
        List<String> args = new ArrayList<>(List.of("run", "--"));
        args.addAll(List.of(command));
        CorralHarness.Result r = corral.corral(args.toArray(String[]::new));
        assertEquals(expected, r.exit(), () -> String.join(" ", command) + ": " + r);
    }

    @ParameterizedTest
    @EnumSource(Invoker.class)
    void aCommandThatCannotBeStartedIsNotReportedAsSuccess(Invoker invoker) {
        try (CorralHarness corral = new CorralHarness(invoker)) {
            CorralHarness.Result r = corral.corral("run", "--", "/no/such/program");

            assertTrue(r.exit() != 0, r::toString);
            assertTrue(r.stderr().contains("/no/such/program"), r::toString);
        }
    }

    @ParameterizedTest
    @EnumSource(Invoker.class)
    void stdinPassesThrough(Invoker invoker) {
        try (CorralHarness corral = new CorralHarness(invoker)) {
            String input = "data\nline two ünïcödé\n" + "x".repeat(200_000) + "\n";

            CorralHarness.Result r = corral.corralWithInput(input, "run", "--", "cat");

            assertEquals(0, r.exit(), r::toString);
            assertEquals(input, r.stdout());
        }
    }

    @ParameterizedTest
    @EnumSource(Invoker.class)
    void stdoutAndStderrStaySeparate(Invoker invoker) {
        try (CorralHarness corral = new CorralHarness(invoker)) {
            CorralHarness.Result r = corral.sandbox("echo to-out; echo to-err >&2; echo more-out");

            assertEquals(0, r.exit(), r::toString);
            assertEquals("to-out\nmore-out\n", r.stdout());
            assertEquals("to-err\n", r.stderr());
        }
    }

    @ParameterizedTest
    @EnumSource(Invoker.class)
    void argumentsReachTheCommandVerbatim(Invoker invoker) {
        try (CorralHarness corral = new CorralHarness(invoker)) {
            CorralHarness.Result r = corral.corral("run", "--", "printf", "[%s]\\n", "a b", "", "--name", "-e", "$HOME", "*", "--", "ü");

            assertEquals(0, r.exit(), r::toString);
            assertEquals("[a b]\n[]\n[--name]\n[-e]\n[$HOME]\n[*]\n[--]\n[ü]\n", r.stdout());
        }
    }

    // --- helpers

    /** A command line expected to be refused, and a word its message must name. */
    private record Refused(String cause, String[] args) {
    }

    private static Refused refused(String cause, String... args) {
        return new Refused(cause, args);
    }

    private static void assertRefusedCleanly(CorralHarness corral, Refused... cases) {
        String lsBefore = corral.corral("ls").stdout();
        List<String> workspaceBefore = listing(corral.workspace());
        List<Executable> checks = new ArrayList<>();
        for (Refused c : cases) {
            checks.add(() -> {
                CorralHarness.Result r = corral.corral(c.args());
                String what = "corral " + String.join(" ", c.args()) + " -> " + r;
                assertOneLineFailure(r, c.cause(), what);
                assertNothingCreated(corral, what);
                assertEquals(lsBefore, corral.corral("ls").stdout(), what);
                assertEquals(workspaceBefore, listing(corral.workspace()), "the workspace is unchanged: " + what);
            });
        }
        assertAll(checks);
    }

    static void assertOneLineFailure(CorralHarness.Result r, String cause) {
        assertOneLineFailure(r, cause, r.toString());
    }

    static void assertOneLineFailure(CorralHarness.Result r, String cause, String what) {
        assertEquals(125, r.exit(), what);
        assertEquals("", r.stdout(), "nothing on stdout: " + what);
        List<String> lines = r.stderr().lines().toList();
        assertEquals(1, lines.size(), "exactly one line on stderr: " + what);
        String line = lines.getFirst();
        assertTrue(line.startsWith("corral: "), what);
        assertTrue(line.contains(cause), "the message names '" + cause + "': " + what);
        int fix = line.indexOf("; ");
        assertTrue(fix > 0 && line.length() > fix + 4, "the message ends with a fix after '; ': " + what);
        assertFalse(line.toLowerCase(Locale.ROOT).contains("internal error"), what);
        assertFalse(line.contains("Exception"), what);
    }

    static void assertNothingCreated(CorralHarness corral) {
        assertNothingCreated(corral, "");
    }

    static void assertNothingCreated(CorralHarness corral, String what) {
        assertEquals(List.of(), listing(corral.sandboxesDir()), "no sandbox folder is left behind: " + what);
    }

    /** The entries of a folder, recursively, relative to it; empty if it does not exist. */
    static List<String> listing(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
