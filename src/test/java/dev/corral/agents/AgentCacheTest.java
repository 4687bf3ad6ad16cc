package dev.corral.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.support.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The versioned install cache in a temporary folder: only committed installs with their record are versions. */
class AgentCacheTest {
    @TempDir
    Path root;

    private AgentCache cache;

    @BeforeEach
    void cache() {
        cache = new AgentCache(root);
    }

    /** A staged install holding one file, committed as {@code version}. */
    private AgentCache.Installed install(String agent, String version) throws IOException {
        AgentCache.Staging staging = cache.stage(agent);
        Files.writeString(staging.pkg().resolve("cli.js"), agent + " " + version);
        return cache.commit(staging, "@vendor/" + agent, version);
    }

    /** A version folder as something other than {@link AgentCache#commit} left it. */
    private Path versionFolder(String agent, String version, Optional<Map<String, Object>> record) throws IOException {
        Path dir = Files.createDirectories(root.resolve(agent).resolve(version));
        Files.writeString(dir.resolve("cli.js"), "half");
        if (record.isPresent()) Files.writeString(dir.resolve(AgentCache.RECORD), Json.write(record.get()));
        return dir;
    }

    private static Map<String, Object> record(String agent, String version) {
        return Map.of("agent", agent, "version", version, "package", "@vendor/" + agent, "installed", "2025-01-01T00:00:00Z");
    }

    private List<String> versions(String agent) {
        return cache.installed(agent).stream().map(AgentCache.Installed::version).toList();
    }

    @Test
    void theSandboxSeesAnAgentsInstallUnderRunCorralAgents() {
        assertEquals("/run/corral-agents/claude", AgentCache.sandboxDir("claude"));
        assertEquals(root, cache.root());
    }

    @Test
    void commitMakesTheStagedPackageAVersionWithItsRecord() throws IOException {
        Instant before = Instant.now();
        AgentCache.Installed installed = install("claude", "2.0.14");

        assertEquals("claude", installed.agent());
        assertEquals("2.0.14", installed.version());
        assertEquals("@vendor/claude", installed.pkg());
        assertEquals(root.resolve("claude/2.0.14"), installed.dir());
        assertFalse(installed.installedAt().isBefore(before));
        assertEquals("claude 2.0.14", Files.readString(installed.dir().resolve("cli.js")));
        Map<String, Object> record = Json.parseObject(Files.readString(installed.dir().resolve(AgentCache.RECORD)));
        assertEquals(Map.of("agent", "claude", "version", "2.0.14", "package", "@vendor/claude", "installed", installed.installedAt().toString()),
                record);
        assertEquals(PosixFilePermissions.fromString("rw-r--r--"), Files.getPosixFilePermissions(installed.dir().resolve(AgentCache.RECORD)),
                "readable by the sandbox's user, like the install");
        assertEquals(List.of(installed), cache.installed("claude"));
        assertEquals(Optional.of(installed), find("claude", "2.0.14"));
    }

    @Test
    void committingRemovesTheStagingFolder() throws IOException {
        AgentCache.Staging staging = cache.stage("claude");
        Files.writeString(staging.work().resolve("npm-debug.log"), "log");

        cache.commit(staging, "pkg", "1.0.0");

        assertFalse(Files.exists(staging.dir()));
        try (Stream<Path> left = Files.list(root.resolve("claude"))) {
            assertEquals(List.of("1.0.0"), left.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".lock")).toList());
        }
    }

    @Test
    void aStagingFolderIsNeverAVersion() throws IOException {
        AgentCache.Staging staging = cache.stage("claude");
        Files.writeString(staging.pkg().resolve(AgentCache.RECORD), Json.write(record("claude", "1.0.0")));

        assertEquals(List.of(), cache.installed("claude"));
        assertTrue(staging.dir().getFileName().toString().startsWith(".staging-"), staging.dir()::toString);
        assertTrue(Files.isDirectory(staging.pkg()) && Files.isDirectory(staging.work()) && Files.isDirectory(staging.home()));
    }

    @Test
    void aVersionFolderWithoutItsRecordIsAHalfFinishedInstallAndNeverListed() throws IOException {
        install("claude", "1.0.0");
        versionFolder("claude", "2.0.0", Optional.empty());

        assertEquals(List.of("1.0.0"), versions("claude"));
        assertEquals(Optional.empty(), find("claude", "2.0.0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"agent\": \"codex\", \"version\": \"2.0.0\", \"package\": \"p\", \"installed\": \"2025-01-01T00:00:00Z\"}",
            "{\"agent\": \"claude\", \"version\": \"9.9.9\", \"package\": \"p\", \"installed\": \"2025-01-01T00:00:00Z\"}",
            "{\"agent\": \"claude\", \"version\": \"2.0.0\", \"package\": \"p\", \"installed\": \"yesterday\"}",
            "{\"agent\": \"claude\", \"version\": \"2.0.0\", \"package\": \"p\"}",
            "{\"agent\": \"claude\"}", "not json", "", "[]"})
    void aRecordForAnotherAgentOrVersionOrABrokenOneIsIgnored(String record) throws IOException {
        Path dir = versionFolder("claude", "2.0.0", Optional.empty());
        Files.writeString(dir.resolve(AgentCache.RECORD), record);

        assertEquals(List.of(), cache.installed("claude"));
    }

    @Test
    void aHandWrittenRecordThatMatchesItsFolderCounts() throws IOException {
        Path dir = versionFolder("claude", "2.0.0", Optional.of(record("claude", "2.0.0")));

        assertEquals(List.of(new AgentCache.Installed("claude", "2.0.0", "@vendor/claude", dir, Instant.parse("2025-01-01T00:00:00Z"))),
                cache.installed("claude"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "1..2", ".hidden", "-1"})
    void aFolderWhoseNameIsNotAPlainVersionIsIgnored(String name) throws IOException {
        versionFolder("claude", name, Optional.of(record("claude", name)));

        assertEquals(List.of(), cache.installed("claude"));
    }

    @Test
    void versionsAreListedNewestFirst() throws IOException {
        for (String version : List.of("2.9.1", "1.0.0", "2.10.0", "1.0.0-beta.1", "2.9.10")) install("claude", version);

        assertEquals(List.of("2.10.0", "2.9.10", "2.9.1", "1.0.0", "1.0.0-beta.1"), versions("claude"));
    }

    @Test
    void eachAgentHasItsOwnVersions() throws IOException {
        install("claude", "1.0.0");
        install("codex", "0.5.0");

        assertEquals(List.of("1.0.0"), versions("claude"));
        assertEquals(List.of("0.5.0"), versions("codex"));
        assertEquals(List.of(), versions("gemini"), "an agent never installed has no folder and no versions");
    }

    @Test
    void stagingRemovesWhatEarlierInstallersLeftBehind() throws IOException {
        AgentCache.Staging killed = cache.stage("claude");
        Files.writeString(killed.pkg().resolve("half.js"), "x");
        AgentCache.Installed kept = install("claude", "1.0.0");

        AgentCache.Staging fresh = cache.stage("claude");

        assertFalse(Files.exists(killed.dir()), "the killed installer's staging");
        assertTrue(Files.isDirectory(fresh.pkg()));
        assertTrue(Files.exists(kept.dir().resolve("cli.js")), "versions are left alone");
        try (Stream<Path> dirs = Files.list(root.resolve("claude"))) {
            assertEquals(1, dirs.filter(p -> p.getFileName().toString().startsWith(".staging-")).count());
        }
    }

    @Test
    void aDiscardedStagingLeavesNothing() throws IOException {
        AgentCache.Staging staging = cache.stage("claude");
        Files.writeString(staging.pkg().resolve("x"), "x");

        staging.discard();
        staging.discard();

        assertFalse(Files.exists(staging.dir()));
    }

    @Test
    void commitReplacesAVersionFolderThatHasNoRecord() throws IOException {
        Path half = versionFolder("claude", "1.0.0", Optional.empty());
        Files.writeString(half.resolve("stale.js"), "stale");

        AgentCache.Installed installed = install("claude", "1.0.0");

        assertEquals(List.of(installed), cache.installed("claude"));
        assertFalse(Files.exists(installed.dir().resolve("stale.js")));
        assertEquals("claude 1.0.0", Files.readString(installed.dir().resolve("cli.js")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape", "1/2", "", "a b"})
    void aVersionThatIsNotPlainIsNeverCommitted(String version) throws IOException {
        AgentCache.Staging staging = cache.stage("claude");

        assertThrows(AgentException.class, () -> cache.commit(staging, "pkg", version));
        assertEquals(List.of(), cache.installed("claude"));
        assertFalse(Files.exists(root.resolve("escape")));
    }

    @Test
    void removeTakesOneVersionAway() throws IOException {
        AgentCache.Installed old = install("claude", "1.0.0");
        AgentCache.Installed current = install("claude", "2.0.0");

        cache.remove(old);

        assertEquals(List.of(current), cache.installed("claude"));
        assertFalse(Files.exists(old.dir()));
        cache.remove(old);
    }

    // --- the install lock

    /** Whether another process can take the lock on {@code file} right now. */
    private static boolean freeForAnotherProcess(Path file, Path tmp) throws IOException, InterruptedException {
        Path program = tmp.resolve("TryLock.java");
        Files.writeString(program, """
                import java.nio.channels.FileChannel;
                import java.nio.channels.FileLock;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;

                public class TryLock {
                    public static void main(String[] args) throws Exception {
                        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE)) {
                            FileLock lock = channel.tryLock();
                            System.out.print(lock == null ? "held" : "free");
                        }
                    }
                }
                """);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), program.toString(), file.toString()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), out);
        return out.equals("free");
    }

    @Test
    void theInstallLockKeepsOutAnotherProcessUntilItIsReleased(@TempDir Path tmp) throws Exception {
        Path lockFile = root.resolve("claude/.lock");
        AutoCloseable lock = cache.lock("claude");

        assertTrue(Files.exists(lockFile));
        assertFalse(freeForAnotherProcess(lockFile, tmp));
        lock.close();
        assertTrue(freeForAnotherProcess(lockFile, tmp));
    }

    @Test
    void theLockCanBeTakenAgainOnceReleasedAndIsNotAVersion() throws Exception {
        cache.lock("claude").close();
        try (AutoCloseable again = cache.lock("claude")) {
            assertEquals(List.of(), cache.installed("claude"));
        }
    }

    @Test
    void anotherAgentsLockDoesNotWait() throws Exception {
        try (AutoCloseable claude = cache.lock("claude")) {
            Thread other = Thread.ofPlatform().start(() -> {
                try {
                    cache.lock("codex").close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            other.join(TimeUnit.SECONDS.toMillis(10));

            assertFalse(other.isAlive());
        }
    }

    @Test
    void aLockInAFolderThatCannotBeMadeIsAnAgentError() throws IOException {
        Files.writeString(root.resolve("claude"), "a file where the agent's folder should be");

        AgentException e = assertThrows(AgentException.class, () -> cache.lock("claude"));

        assertTrue(e.getMessage().startsWith("cannot lock " + root.resolve("claude/.lock")), e.getMessage());
    }

    private Optional<AgentCache.Installed> find(String agent, String version) {
        return cache.installed(agent).stream().filter(i -> i.version().equals(version)).findFirst();
    }
}
