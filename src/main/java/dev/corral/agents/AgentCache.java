package dev.corral.agents;

import dev.corral.support.Files2;
import dev.corral.support.Json;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The shared, versioned install cache, outside every sandbox: {@code ROOT/NAME/VERSION/}, mounted
 * read-only into the agent's sandboxes. An install is built in a staging folder beside it and
 * becomes a version only by an atomic rename after its record is written, so a half-finished
 * install (a killed installer, a full disk) is never taken for one.
 */
public final class AgentCache {
    static final String RECORD = ".corral-installed.json";
    private static final String STAGING = ".staging-";
    private final Path root;

    public AgentCache(Path root) {
        this.root = root;
    }

    /** The user's {@code [agents] cache-dir}, or {@code agents} in Corral's data folder. */
    public static Path rootFor(Path dataDir, Optional<Path> configured) {
        return configured.orElseGet(() -> dataDir.resolve("agents"));
    }

    /** @param dir the version's folder; what the sandbox sees at {@link #SANDBOX_ROOT}/NAME */
    public record Installed(String agent, String version, String pkg, Path dir, Instant installedAt) {
    }

    /** Where an agent's install is mounted inside its sandboxes (and built, so paths in it hold). */
    public static final String SANDBOX_ROOT = "/run/corral-agents";

    public static String sandboxDir(String agent) {
        return SANDBOX_ROOT + "/" + agent;
    }

    public Path root() {
        return root;
    }

    /** The complete installs of an agent, newest first. */
    public List<Installed> installed(String agent) {
        List<Installed> all = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root.resolve(agent))) {
            for (Path dir : dirs) {
                String version = dir.getFileName().toString();
                if (version.startsWith(".") || !AgentVersion.isPlain(version)) continue;
                read(agent, dir).ifPresent(all::add);
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new AgentException("cannot read the agent cache " + root.resolve(agent) + ": " + e.getMessage(), "check its permissions");
        }
        all.sort((a, b) -> AgentVersion.NEWEST_FIRST.compare(a.version(), b.version()));
        return all;
    }

    /** The complete installs of the profile's own package (not another's that shared its name), newest first. */
    public List<Installed> installed(AgentProfile profile) {
        return installed(profile.name()).stream().filter(i -> i.pkg().equals(profile.install().pkg())).toList();
    }

    private static Optional<Installed> read(String agent, Path dir) {
        try {
            Map<String, Object> record = Json.parseObject(Files.readString(dir.resolve(RECORD)));
            if (!agent.equals(record.get("agent")) || !dir.getFileName().toString().equals(record.get("version"))) return Optional.empty();
            return Optional.of(new Installed(agent, (String) record.get("version"), String.valueOf(record.get("package")), dir,
                    Instant.parse((String) record.get("installed"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // no record (or a broken one): not an install
        }
    }

    /** Holds the agent's install lock: one installer per agent at a time, across threads and processes. */
    public AutoCloseable lock(String agent) {
        Path file = root.resolve(agent).resolve(".lock").toAbsolutePath().normalize();
        // a file lock belongs to the whole JVM: threads queue on this first
        ReentrantLock local = LOCAL.computeIfAbsent(file, f -> new ReentrantLock());
        local.lock();
        FileChannel channel = null;
        try {
            Files2.createPrivateDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.lock();
            FileChannel held = channel;
            return () -> {
                try {
                    lock.release();
                    held.close();
                } finally {
                    local.unlock();
                }
            };
        } catch (IOException | RuntimeException e) {
            try {
                if (channel != null) channel.close();
            } catch (IOException ignored) {
                // closing after a failed lock
            }
            local.unlock();
            throw new AgentException("cannot lock " + file + ": " + e.getMessage(), "check that " + root + " is writable", e);
        }
    }

    private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

    /**
     * A fresh staging folder with {@code package/} (what becomes the version), {@code work/} and
     * {@code home/} for the installer; stagings that earlier installers left behind are removed
     * first (call with the lock held).
     */
    public Staging stage(String agent) {
        Path agentDir = root.resolve(agent);
        try {
            Files2.createPrivateDirectories(agentDir);
            try (DirectoryStream<Path> old = Files.newDirectoryStream(agentDir, STAGING + "*")) {
                for (Path dir : old) Files2.deleteTree(dir);
            }
            Path dir = agentDir.resolve(STAGING + UUID.randomUUID());
            Staging staging = new Staging(agent, dir);
            for (Path p : List.of(staging.pkg(), staging.work(), staging.home())) Files.createDirectories(p);
            return staging;
        } catch (IOException e) {
            throw new AgentException("cannot prepare an install in " + agentDir + ": " + e.getMessage(),
                    "check that it is writable and the disk has room", e);
        }
    }

    public record Staging(String agent, Path dir) {
        public Path pkg() {
            return dir.resolve("package");
        }

        public Path work() {
            return dir.resolve("work");
        }

        public Path home() {
            return dir.resolve("home");
        }

        public void discard() {
            try {
                Files2.deleteTree(dir);
            } catch (IOException ignored) {
                // the next install removes it
            }
        }
    }

    /** Makes the staged package the agent's {@code version}: record first, then one rename. */
    public Installed commit(Staging staging, String pkg, String version) {
        AgentVersion.require(version);
        Path target = root.resolve(staging.agent()).resolve(version);
        Instant now = Instant.now();
        Optional<Installed> complete = read(staging.agent(), target);
        if (complete.isPresent()) {
            staging.discard(); // the same version is installed (and may be mounted): keep it
            return complete.get();
        }
        try {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("agent", staging.agent());
            record.put("version", version);
            record.put("package", pkg);
            record.put("installed", now.toString());
            Files2.writeAtomically(staging.pkg().resolve(RECORD), Json.write(record).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    Files2.PUBLIC, true);
            if (Files.exists(target)) Files2.deleteTree(target); // an install without its record: never used, replaced
            Files.move(staging.pkg(), target, StandardCopyOption.ATOMIC_MOVE);
            return new Installed(staging.agent(), version, pkg, target, now);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
            throw new AgentException("cannot move the install of " + staging.agent() + " " + version + " into place: " + e,
                    "remove " + target + " and try again", e);
        } catch (IOException e) {
            throw new AgentException("cannot finish the install of " + staging.agent() + " " + version + ": " + e.getMessage(),
                    "check that " + root + " is writable and the disk has room", e);
        } finally {
            staging.discard();
        }
    }

    /** Removes one installed version (its record first, so a half-removed one is never used). */
    public void remove(Installed installed) {
        try {
            Files.deleteIfExists(installed.dir().resolve(RECORD));
            Files2.deleteTree(installed.dir());
        } catch (IOException e) {
            throw new AgentException("cannot remove " + installed.dir() + ": " + e.getMessage(), "check its permissions", e);
        }
    }
}
