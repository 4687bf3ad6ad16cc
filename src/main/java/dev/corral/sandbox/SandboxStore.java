package dev.corral.sandbox;

import dev.corral.support.Files2;
import dev.corral.support.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sandboxes on disk: {@code <data>/sandboxes/<name>/sandbox.json} holds the settings and
 * {@code home/} the sandbox's private home. Writes are atomic (temporary file, then rename).
 */
public final class SandboxStore {
    private static final String RECORD = "sandbox.json";
    private static final String EXIT = "last-exit.json";
    private final CorralPaths paths;

    public SandboxStore(CorralPaths paths) {
        this.paths = paths;
    }

    public Optional<SandboxRecord> find(SandboxName name) {
        Path file = paths.sandboxDir(name).resolve(RECORD);
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            return Optional.of(SpecCodec.fromMap(Json.parseObject(Files.readString(file))));
        } catch (IOException | RuntimeException e) {
            throw new SandboxException("the state of sandbox " + name + " is unreadable (" + file + ": " + e.getMessage() + ")",
                    "remove it with: corral rm -f " + name, e);
        }
    }

    /** The file that holds the sandbox's settings; its modification time tells a running proxy to reload. */
    public Path recordFile(SandboxName name) {
        return paths.sandboxDir(name).resolve(RECORD);
    }

    /** The sandbox's network decision log. */
    public Path netLog(SandboxName name) {
        return paths.sandboxDir(name).resolve("net.jsonl");
    }

    /** Everything a detached sandbox wrote to its terminal ({@code corral logs}). */
    public Path consoleLog(SandboxName name) {
        return paths.sandboxDir(name).resolve("console.log");
    }

    /** What a detached sandbox's supervisor printed after it let go of the user's terminal. */
    public Path supervisorLog(SandboxName name) {
        return paths.sandboxDir(name).resolve("supervisor.log");
    }

    /** How the sandbox's last run ended by itself: its command's exit status and when. */
    public record Exit(int status, java.time.Instant ended) {
    }

    /** Records how the run ended; a run that was stopped or killed leaves no record. */
    public void recordExit(SandboxName name, Exit exit) {
        try {
            Files2.writeAtomically(paths.sandboxDir(name).resolve(EXIT),
                    Json.write(java.util.Map.of("status", exit.status(), "ended", exit.ended().toString())));
        } catch (IOException e) {
            // the exit status is for ls only; the run's own status went to its caller
        }
    }

    /** Forgets the last run's exit, as a new run starts. */
    public void clearExit(SandboxName name) {
        try {
            Files.deleteIfExists(paths.sandboxDir(name).resolve(EXIT));
        } catch (IOException ignored) {
            // ls would show the previous exit of a sandbox that is running anyway
        }
    }

    public Optional<Exit> lastExit(SandboxName name) {
        Path file = paths.sandboxDir(name).resolve(EXIT);
        try {
            java.util.Map<String, Object> map = Json.parseObject(Files.readString(file));
            return Optional.of(new Exit(((Number) map.get("status")).intValue(), java.time.Instant.parse((String) map.get("ended"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public SandboxRecord get(SandboxName name) {
        return find(name).orElseThrow(() -> new SandboxException("no sandbox named " + name,
                "list sandboxes with: corral ls"));
    }

    public void save(SandboxRecord record) {
        Path dir = paths.sandboxDir(record.spec().name());
        try {
            Files2.createPrivateDirectories(dir);
            Files2.writeAtomically(dir.resolve(RECORD), Json.writePretty(SpecCodec.toMap(record)));
        } catch (IOException e) {
            throw new SandboxException("cannot save sandbox " + record.spec().name() + ": " + e.getMessage(),
                    "check that " + dir + " is writable", e);
        }
    }

    /** The sandbox's private home, created on first use. */
    public Path home(SandboxName name) {
        Path home = paths.sandboxDir(name).resolve("home");
        try {
            Files2.createPrivateDirectories(home);
        } catch (IOException e) {
            throw new SandboxException("cannot create the home of sandbox " + name + ": " + e.getMessage(),
                    "check that " + home.getParent() + " is writable", e);
        }
        return home;
    }

    public List<SandboxName> names() {
        List<SandboxName> names = new ArrayList<>();
        if (!Files.isDirectory(paths.sandboxes())) return names;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(paths.sandboxes())) {
            for (Path dir : dirs) {
                try {
                    if (Files.isRegularFile(dir.resolve(RECORD))) names.add(new SandboxName(dir.getFileName().toString()));
                } catch (SandboxException ignored) {
                    // a folder that is not a sandbox of ours
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        names.sort((a, b) -> a.value().compareTo(b.value()));
        return names;
    }

    /** Deletes the sandbox's settings and home, fixing permissions the sandbox may have removed. */
    public void delete(SandboxName name) {
        Path dir = paths.sandboxDir(name);
        try {
            Files2.deleteTree(dir);
        } catch (IOException e) {
            throw new SandboxException("cannot remove " + dir + ": " + e.getMessage(),
                    "remove it by hand: rm -rf " + dir, e);
        }
    }
}
