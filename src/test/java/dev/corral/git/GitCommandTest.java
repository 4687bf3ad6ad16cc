package dev.corral.git;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one way Corral builds and runs git: hooks and fsmonitor off, git's redirections out of the environment, deadlines kept. */
class GitCommandTest {
    @TempDir
    Path tmp;

    @Test
    void everyCommandTurnsHooksFsmonitorAndThePagerOff() {
        List<String> argv = GitCommand.user(tmp).args("status").argv();
        assertEquals(List.of("git", "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "--no-pager", "status"), argv);
        assertTrue(GitCommand.isolated(tmp).args("add").argv().containsAll(List.of("-c", "core.untrackedCache=false")));
    }

    @Test
    void variablesThatPointGitElsewhereAreDropped() {
        Map<String, String> host = Map.ofEntries(Map.entry("PATH", "/usr/bin"), Map.entry("HOME", "/home/ada"), Map.entry("GIT_DIR", "/elsewhere"),
                Map.entry("GIT_WORK_TREE", "/x"), Map.entry("GIT_INDEX_FILE", "/x"), Map.entry("GIT_OBJECT_DIRECTORY", "/x"),
                Map.entry("GIT_ALTERNATE_OBJECT_DIRECTORIES", "/x"), Map.entry("GIT_CONFIG_PARAMETERS", "'core.fsmonitor'='x'"),
                Map.entry("GIT_EXTERNAL_DIFF", "x"), Map.entry("GIT_AUTHOR_NAME", "Ada"), Map.entry("GIT_CONFIG_GLOBAL", "/home/ada/.gitconfig"),
                Map.entry("LANGUAGE", "fr"), Map.entry("LC_MESSAGES", "fr_FR.UTF-8"));
        Map<String, String> user = GitCommand.user(tmp).environment(host);
        assertEquals(Map.of("PATH", "/usr/bin", "HOME", "/home/ada", "GIT_AUTHOR_NAME", "Ada", "GIT_CONFIG_GLOBAL", "/home/ada/.gitconfig",
                "LC_ALL", "C", "GIT_TERMINAL_PROMPT", "0", "GIT_EDITOR", ":"), user);
        Map<String, String> isolated = GitCommand.isolated(tmp).environment(host);
        assertEquals("/dev/null", isolated.get("GIT_CONFIG_GLOBAL"));
        assertEquals("1", isolated.get("GIT_CONFIG_NOSYSTEM"));
        assertFalse(isolated.containsKey("GIT_AUTHOR_NAME"), "Corral's own repositories don't need the user");
    }

    @Test
    void gitsOwnReasonIsTheErrorMessage() {
        Git.Result result = new Git.Result(128, "", "hint: try this\nwarning: meh\nfatal: not a git repository (or any parent)\n");
        assertEquals("not a git repository (or any parent)", result.reason());
        assertEquals("exit status 3", new Git.Result(3, "", "").reason());
        assertEquals("something odd", new Git.Result(1, "", "something odd\nmore\n").reason());
        assertEquals(List.of("a: can only add regular files", "b\\x"), new Git.Result(1, "", "error: a: can only add regular files\nerror: b\\x\n").errors());
    }

    @Test
    void aFailingCommandBecomesAGitExceptionWithGitsReason() {
        Git git = new Git(Map.of("PATH", System.getenv("PATH"), "HOME", tmp.toString()));
        GitException e = assertThrows(GitException.class, () -> git.output(GitCommand.isolated(tmp).args("rev-parse", "HEAD"), "cannot read HEAD"));
        assertTrue(e.getMessage().startsWith("cannot read HEAD: not a git repository"), e.getMessage());
    }

    @Test
    void aCommandThatHangsIsStoppedAtItsDeadline() throws Exception {
        Path fifo = tmp.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Git git = new Git(Map.of("PATH", System.getenv("PATH"), "HOME", tmp.toString()));
        long start = System.nanoTime();
        GitException e = assertThrows(GitException.class,
                () -> git.run(GitCommand.isolated(tmp).timeout(Duration.ofSeconds(1)).args("hash-object", "--", fifo.toString())));
        assertTrue(e.getMessage().startsWith("git hash-object did not finish within 1 s"), e.getMessage());
        assertTrue(System.nanoTime() - start < 10_000_000_000L);
    }

    @Test
    void aWatchedCommandCanBeAbandoned() throws Exception {
        Path fifo = tmp.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Git git = new Git(Map.of("PATH", System.getenv("PATH"), "HOME", tmp.toString()));
        Git.Result result = git.run(GitCommand.isolated(tmp).watch(Duration.ofMillis(300), () -> true).args("hash-object", "--", fifo.toString()));
        assertEquals(Git.Result.ABANDONED, result.exit());
        Git.Result kept = git.run(GitCommand.isolated(tmp).watch(Duration.ofMillis(1), () -> false).args("version"));
        assertTrue(kept.ok());
    }

    @Test
    void gitIsFoundOnTheGivenPathOnly() {
        Git git = new Git(Map.of("PATH", tmp.resolve("nowhere").toString()));
        GitException e = assertThrows(GitException.class, () -> git.run(GitCommand.isolated(tmp).args("version")));
        assertEquals("git is not installed (not found on PATH)", e.getMessage());
    }
}
