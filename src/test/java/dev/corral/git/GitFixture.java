package dev.corral.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real repositories in a temporary folder, with a home and global settings of their own so the
 * machine's git settings never leak in. Commits made here pass their identity on the command line;
 * the code under test gets the same environment, without an identity, unless a test gives one.
 */
final class GitFixture {
    final Path root;
    final Path home;
    final Path globalConfig;
    final Map<String, String> env = new HashMap<>();

    GitFixture(Path tmp) throws IOException {
        root = tmp.toRealPath();
        home = Files.createDirectories(root.resolve("home"));
        globalConfig = home.resolve(".gitconfig");
        Files.writeString(globalConfig, "");
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", home.toString());
        env.put("GIT_CONFIG_GLOBAL", globalConfig.toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("LC_ALL", "C");
    }

    Worktrees worktrees() {
        return new Worktrees(env);
    }

    RepositoryInfo inspect(Path dir) {
        return RepositoryInfo.inspect(dir, env);
    }

    /** Settings the user has globally, e.g. who they are (needed for merge commits). */
    void globalSettings(String text) throws IOException {
        Files.writeString(globalConfig, text, StandardOpenOption.APPEND);
    }

    void identity() throws IOException {
        globalSettings("[user]\n\tname = Ada Lovelace\n\temail = ada@example.com\n");
    }

    record Run(int exit, String out, String err) {
    }

    Run run(Path dir, List<String> args) {
        List<String> argv = new ArrayList<>(List.of("git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "init.defaultBranch=main"));
        argv.addAll(args);
        try {
            ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().clear();
            builder.environment().putAll(env);
            Process process = builder.start();
            var err = new java.io.ByteArrayOutputStream();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    process.getErrorStream().transferTo(err);
                } catch (IOException ignored) {
                    // process gone
                }
            });
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "git timed out: " + argv);
            reader.join();
            return new Run(process.exitValue(), out, err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs git as the user would; fails the test if it fails. */
    String git(Path dir, String... args) {
        Run run = run(dir, List.of(args));
        assertEquals(0, run.exit(), () -> "git " + String.join(" ", args) + " failed: " + run.err());
        return run.out().strip();
    }

    /** A repository with a first commit of {@code a.txt} and {@code src/b.txt}, on main. */
    Path repository(String name) throws IOException {
        Path repo = Files.createDirectories(root.resolve(name));
        git(repo, "init", "-q");
        write(repo.resolve("a.txt"), "one\ntwo\nthree\n");
        write(repo.resolve("src/b.txt"), "bee\n");
        commitAll(repo, "first");
        return repo;
    }

    /** A repository in the SHA-256 object format with a first commit of {@code a}, on main. */
    Path sha256Repository(String name) throws IOException {
        Path repo = Files.createDirectories(root.resolve(name));
        git(repo, "init", "-q", "--object-format=sha256");
        write(repo.resolve("a"), "a\n");
        commitAll(repo, "first");
        return repo;
    }

    static Path write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    String commitAll(Path repo, String message) {
        git(repo, "add", "-A");
        git(repo, "commit", "-q", "--allow-empty", "-m", message);
        return head(repo);
    }

    String head(Path repo) {
        return git(repo, "rev-parse", "HEAD");
    }

    String ref(Path repo, String ref) {
        Run run = run(repo, List.of("rev-parse", "--verify", "--quiet", ref));
        return run.exit() == 0 ? run.out().strip() : null;
    }

    /** Every entry under {@code dir} (links not followed) with its kind, size and modification time: to see that nothing changed. */
    Map<String, String> tree(Path dir) throws IOException {
        Map<String, String> entries = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                var attrs = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                entries.put(dir.relativize(p).toString(), (attrs.isDirectory() ? "dir " : attrs.isSymbolicLink() ? "link " : "file ")
                        + attrs.size() + "@" + attrs.lastModifiedTime().toMillis());
            }
        }
        return entries;
    }

    /** The user's repository is as it was: HEAD, the index and the files (status). */
    record State(String head, String status, String staged, String diff) {
    }

    State state(Path repo) {
        return new State(head(repo), git(repo, "status", "--porcelain=v1", "-z", "--untracked-files=all"),
                git(repo, "diff", "--cached", "--binary"), git(repo, "diff", "--binary"));
    }

    void assertNoStagedChanges(Path repo) {
        assertEquals(0, run(repo, List.of("diff", "--cached", "--quiet")).exit(), "the index differs from HEAD");
    }

    static void assertAbsent(Path marker) {
        assertFalse(Files.exists(marker, java.nio.file.LinkOption.NOFOLLOW_LINKS), () -> marker + " exists: something ran that should not have");
    }

    /** A FIFO at {@code path}, made by mkfifo(1). */
    static void mkfifo(Path path) throws IOException, InterruptedException {
        assertEquals(0, new ProcessBuilder("mkfifo", path.toString()).inheritIO().start().waitFor());
    }

    /** An executable script that creates the marker when anything runs it. */
    static Path markerScript(Path script, Path marker) throws IOException {
        write(script, "#!/bin/sh\ntouch '" + marker + "'\ncat >/dev/null 2>&1\nexit 0\n");
        script.toFile().setExecutable(true, false);
        return script;
    }
}
