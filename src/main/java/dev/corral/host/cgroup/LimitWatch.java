package dev.corral.host.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Counts limit hits in cgroups someone else owns (a container engine's), which may be gone by the
 * time the sandbox has ended: their event files are read every {@link #INTERVAL} while it runs,
 * and the highest counts seen are kept.
 */
public final class LimitWatch implements AutoCloseable {
    static final Duration INTERVAL = Duration.ofMillis(100);
    private final List<Path> dirs;
    private final Thread thread;
    private volatile long oomKills;
    private volatile long pidsHits;
    private volatile boolean closed;

    private LimitWatch(List<Path> dirs) {
        this.dirs = dirs;
        this.thread = Thread.ofPlatform().daemon(true).name("corral-limit-watch").unstarted(this::poll);
    }

    /** @param procsFiles the {@code cgroup.procs} files of the cgroups to watch */
    public static LimitWatch start(List<Path> procsFiles) {
        LimitWatch watch = new LimitWatch(procsFiles.stream().map(Path::getParent).toList());
        if (!watch.dirs.isEmpty()) watch.thread.start();
        return watch;
    }

    private void poll() {
        while (!closed) {
            read();
            try {
                Thread.sleep(INTERVAL);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void read() {
        for (Path dir : dirs) {
            oomKills = Math.max(oomKills, counter(dir.resolve("memory.events"), "oom_kill"));
            oomKills = Math.max(oomKills, counter(dir.resolve("memory.oom_control"), "oom_kill"));
            pidsHits = Math.max(pidsHits, counter(dir.resolve("pids.events"), "max"));
        }
    }

    /** The hits seen so far, with one last look at the files. */
    public Confinement.LimitEvents events() {
        read();
        return new Confinement.LimitEvents(oomKills, pidsHits);
    }

    static long counter(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length == 2 && parts[0].equals(key)) return Long.parseLong(parts[1]);
            }
        } catch (IOException | RuntimeException e) {
            // gone with the container, or not this layout
        }
        return 0;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
