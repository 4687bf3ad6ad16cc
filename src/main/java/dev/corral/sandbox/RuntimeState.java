package dev.corral.sandbox;

import dev.corral.support.Files2;
import dev.corral.support.Json;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runtime side of a sandbox: a lock its supervisor holds while it runs (so a crashed
 * supervisor can never leave a sandbox marked running) and a record of the supervisor's and the
 * sandbox init's process ids, for {@code exec} and {@code stop}.
 */
public final class RuntimeState {
    private static final String LOCK = "lock";
    private static final String RECORD = "supervisor.json";
    /**
     * Lock files this JVM holds. The JDK's file locks are POSIX locks, which the kernel drops as
     * soon as the process closes any descriptor of the file: a holder must never open its own
     * lock file a second time, so it answers from here instead.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();
    private final CorralPaths paths;

    public RuntimeState(CorralPaths paths) {
        this.paths = paths;
    }

    /**
     * A running sandbox as its supervisor recorded it.
     *
     * @param initStartTicks the init's start time in clock ticks (/proc/PID/stat), so a recycled
     *                       pid is never mistaken for the sandbox
     * @param cgroupProcs    the cgroup.procs files a process joins to count against the limits
     */
    public record Supervisor(long supervisorPid, long initPid, long initStartTicks, Instant started,
                             List<String> cgroupProcs) {
        public Supervisor {
            cgroupProcs = List.copyOf(cgroupProcs);
        }
    }

    /** The held lock of a running sandbox; closing it marks the sandbox stopped. */
    public final class Claim implements AutoCloseable {
        private final SandboxName name;
        private final FileChannel channel;
        private final List<AutoCloseable> held = new java.util.ArrayList<>();

        private Claim(SandboxName name, FileChannel channel) {
            this.name = name;
            this.channel = channel;
        }

        public void record(Supervisor supervisor) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("supervisorPid", supervisor.supervisorPid());
            map.put("initPid", supervisor.initPid());
            map.put("initStartTicks", supervisor.initStartTicks());
            map.put("started", supervisor.started().toString());
            map.put("cgroupProcs", supervisor.cgroupProcs());
            try {
                Files2.writeAtomically(paths.runtimeDir(name).resolve(RECORD), Json.write(map));
            } catch (IOException e) {
                throw new SandboxException("cannot record the running sandbox " + name + ": " + e.getMessage(), null, e);
            }
        }

        /** Other locks that live exactly as long as this claim. */
        public Claim holding(AutoCloseable lock) {
            held.add(lock);
            return this;
        }

        @Override
        public void close() {
            for (AutoCloseable lock : held) {
                try {
                    lock.close();
                } catch (Exception ignored) {
                    // released with the process anyway
                }
            }
            try {
                Files.deleteIfExists(paths.runtimeDir(name).resolve(RECORD));
                HELD.remove(paths.runtimeDir(name).resolve(LOCK));
                channel.close();
            } catch (IOException ignored) {
                // the lock goes with the process anyway
            }
        }
    }

    /**
     * Serialises the start of sandboxes for this user: held from the check that no running sandbox
     * shares the workspace until the new sandbox holds its own lock. Blocks while another start holds it.
     */
    public AutoCloseable startLock() {
        try {
            Files2.createPrivateDirectories(paths.runtime());
            FileChannel channel = FileChannel.open(paths.runtime().resolve("start.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            channel.lock();
            return channel;
        } catch (IOException e) {
            throw new SandboxException("cannot lock " + paths.runtime() + ": " + e.getMessage(), "check that it is writable", e);
        }
    }

    /** Takes the sandbox's lock, or fails if another supervisor runs it. */
    public Claim claim(SandboxName name) {
        Path dir = paths.runtimeDir(name);
        if (HELD.contains(dir.resolve(LOCK))) throw alreadyRunning(name);
        try {
            Files2.createPrivateDirectories(paths.runtime());
            Files2.createPrivateDirectories(dir);
            FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                channel.close();
                throw alreadyRunning(name);
            }
            HELD.add(dir.resolve(LOCK));
            Claim claim = new Claim(name, channel);
            // a record at once, so a sandbox starting next sees this one before it is up
            claim.record(new Supervisor(ProcessHandle.current().pid(), 0, 0, java.time.Instant.now(), List.of()));
            return claim;
        } catch (IOException e) {
            throw new SandboxException("cannot lock sandbox " + name + ": " + e.getMessage(),
                    "check that " + dir + " is writable", e);
        }
    }

    private static SandboxException alreadyRunning(SandboxName name) {
        return new SandboxException("sandbox " + name + " is already running",
                "run a command in it with: corral exec " + name + " -- CMD, or stop it with: corral stop " + name);
    }

    public boolean isRunning(SandboxName name) {
        Path lockFile = paths.runtimeDir(name).resolve(LOCK);
        if (HELD.contains(lockFile)) return true;
        if (!Files.exists(lockFile)) return false;
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = tryLock(channel);
            if (lock == null) return true;
            lock.release();
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** The sandboxes running now: only those with a supervisor record are asked, so this stays cheap. */
    public List<SandboxName> runningNames() {
        List<SandboxName> names = new java.util.ArrayList<>();
        Path dir = paths.runtime().resolve("sandboxes");
        if (!Files.isDirectory(dir)) return names;
        try (var children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                if (!Files.exists(child.resolve(RECORD))) continue;
                try {
                    SandboxName name = new SandboxName(child.getFileName().toString());
                    if (isRunning(name)) names.add(name);
                } catch (SandboxException ignored) {
                    // not a sandbox of ours
                }
            }
        } catch (IOException ignored) {
            // nothing running that we can see
        }
        return names;
    }

    /** The supervisor record of a running sandbox. */
    public Optional<Supervisor> supervisor(SandboxName name) {
        if (!isRunning(name)) return Optional.empty();
        Path file = paths.runtimeDir(name).resolve(RECORD);
        try {
            Map<String, Object> map = Json.parseObject(Files.readString(file));
            List<String> procs = ((List<?>) map.get("cgroupProcs")).stream().map(String::valueOf).toList();
            if (((Number) map.get("initPid")).longValue() == 0) return Optional.empty(); // still starting
            return Optional.of(new Supervisor(((Number) map.get("supervisorPid")).longValue(),
                    ((Number) map.get("initPid")).longValue(), ((Number) map.get("initStartTicks")).longValue(),
                    Instant.parse((String) map.get("started")), procs));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public void forget(SandboxName name) {
        try {
            Files2.deleteTree(paths.runtimeDir(name));
        } catch (IOException ignored) {
            // runtime files vanish at reboot anyway
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }
}
