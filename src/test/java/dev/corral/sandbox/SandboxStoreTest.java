package dev.corral.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxStoreTest {
    @TempDir
    Path tmp;

    private CorralPaths paths;
    private SandboxStore store;

    @BeforeEach
    void store() {
        paths = new CorralPaths(tmp.resolve("home"), tmp.resolve("data/corral"), tmp.resolve("config/corral"), tmp.resolve("run/corral"));
        store = new SandboxStore(paths);
    }

    private static SandboxRecord record(String name) {
        return new SandboxRecord(new SandboxSpec(new SandboxName(name), "shell", Path.of("/home/alice/" + name), Map.of("A", "1"),
                List.of(), Limits.NONE.withMemory(1L << 30), "native"), Instant.parse("2025-01-01T00:00:00Z"), Optional.empty());
    }

    @Test
    void aSavedSandboxIsFoundAgain() {
        store.save(record("one"));

        assertEquals(Optional.of(record("one")), store.find(new SandboxName("one")));
        assertEquals(record("one"), store.get(new SandboxName("one")));
    }

    @Test
    void savingAgainReplacesTheRecord() {
        store.save(record("one"));
        SandboxRecord started = record("one").startedAt(Instant.parse("2025-01-02T00:00:00Z"));

        store.save(started);

        assertEquals(started, store.get(new SandboxName("one")));
    }

    @Test
    void theStateIsPrivate() throws IOException {
        store.save(record("one"));
        Path dir = paths.sandboxDir(new SandboxName("one"));

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("sandbox.json"))));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("sandbox.json"), files.map(p -> p.getFileName().toString()).toList(), "no temporary file is left");
        }
    }

    @Test
    void anUnknownSandboxIsNotFound() {
        assertEquals(Optional.empty(), store.find(new SandboxName("nope")));
        SandboxException e = assertThrows(SandboxException.class, () -> store.get(new SandboxName("nope")));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
        assertTrue(e.fix().orElseThrow().contains("corral ls"));
    }

    @Test
    void namesAreSortedAndOnlyRealSandboxes() throws IOException {
        assertEquals(List.of(), store.names(), "no sandboxes folder yet");
        store.save(record("zeta"));
        store.save(record("alpha"));
        Files.createDirectories(paths.sandboxes().resolve("no-record"));
        Files.createDirectories(paths.sandboxes().resolve("NotAName"));
        Files.writeString(paths.sandboxes().resolve("NotAName/sandbox.json"), "{}");
        Files.writeString(paths.sandboxes().resolve("stray-file"), "x");

        assertEquals(List.of(new SandboxName("alpha"), new SandboxName("zeta")), store.names());
    }

    @Test
    void anUnreadableRecordSaysHowToRemoveIt() throws IOException {
        store.save(record("broken"));
        Files.writeString(paths.sandboxDir(new SandboxName("broken")).resolve("sandbox.json"), "{not json");

        SandboxException e = assertThrows(SandboxException.class, () -> store.find(new SandboxName("broken")));

        assertTrue(e.getMessage().contains("unreadable"), e.getMessage());
        assertTrue(e.fix().orElseThrow().contains("corral rm -f broken"));
    }

    @Test
    void theHomeIsCreatedPrivateOnFirstUse() throws IOException {
        Path home = store.home(new SandboxName("one"));

        assertEquals(paths.sandboxDir(new SandboxName("one")).resolve("home"), home);
        assertTrue(Files.isDirectory(home));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home)));
        assertEquals(home, store.home(new SandboxName("one")), "the second use finds it");
    }

    @Test
    void deleteRemovesTheRecordAndTheHome() throws IOException {
        store.save(record("one"));
        Files.writeString(store.home(new SandboxName("one")).resolve(".marker"), "x");

        store.delete(new SandboxName("one"));

        assertFalse(Files.exists(paths.sandboxDir(new SandboxName("one"))));
        assertEquals(List.of(), store.names());
        assertEquals(Optional.empty(), store.find(new SandboxName("one")));
    }

    @Test
    void deleteCopesWithFoldersTheSandboxLockedUp() throws IOException {
        store.save(record("one"));
        Path home = store.home(new SandboxName("one"));
        Path locked = Files.createDirectories(home.resolve("a/locked"));
        Files.writeString(locked.resolve("file"), "x");
        Files.createDirectories(locked.resolve("deeper"));
        Path readOnly = Files.createDirectories(home.resolve("readonly"));
        Files.writeString(readOnly.resolve("file"), "x");
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-x------"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        Files.setPosixFilePermissions(home.resolve("a"), PosixFilePermissions.fromString("---------"));

        store.delete(new SandboxName("one"));

        assertFalse(Files.exists(paths.sandboxDir(new SandboxName("one"))));
    }

    @Test
    void deleteDoesNotFollowSymbolicLinksOutOfTheHome() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep"), "x");
        store.save(record("one"));
        Files.createSymbolicLink(store.home(new SandboxName("one")).resolve("link"), outside);

        store.delete(new SandboxName("one"));

        assertTrue(Files.exists(outside.resolve("keep")));
    }

    @Test
    void deletingAnUnknownSandboxIsHarmless() {
        store.delete(new SandboxName("nope"));

        assertFalse(Files.exists(paths.sandboxDir(new SandboxName("nope"))));
    }
}
