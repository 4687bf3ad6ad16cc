package dev.corral.host.cgroup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A sandbox's cgroup made of directories Corral created in the cgroup filesystem: one in the
 * unified hierarchy (v2), or one per controller hierarchy (v1).
 */
final class CgroupDirectories implements Confinement {

    /** Kill rounds before giving up on processes that keep appearing (a fork bomb racing us). */
    private static final int KILL_ROUNDS = 500;
    private static final long ROUND_PAUSE_MS = 10;
    private static final int REMOVE_ATTEMPTS = 100;

    private final CgroupOs os;
    private final List<Path> dirs;
    private final Optional<Path> oomKillCounter;
    private final Optional<Path> pidsEvents;
    private final Optional<Path> killFile;
    private final AtomicBoolean closed = new AtomicBoolean();

    private CgroupDirectories(CgroupOs os, List<Path> dirs, Optional<Path> oomKillCounter, Optional<Path> pidsEvents,
                              Optional<Path> killFile) {
        this.os = os;
        this.dirs = List.copyOf(dirs);
        this.oomKillCounter = oomKillCounter;
        this.pidsEvents = pidsEvents;
        this.killFile = killFile;
    }

    /** A cgroup v2 directory: memory.events and pids.events count limit hits; cgroup.kill kills at once. */
    static CgroupDirectories v2(CgroupOs os, Path dir) {
        return new CgroupDirectories(os, List.of(dir), Optional.of(dir.resolve("memory.events")),
                Optional.of(dir.resolve("pids.events")), Optional.of(dir.resolve("cgroup.kill")));
    }

    /** Cgroup v1 directories, one per hierarchy; memory.oom_control and pids.events count limit hits. */
    static CgroupDirectories v1(CgroupOs os, List<Path> dirs, Optional<Path> memoryDir, Optional<Path> pidsDir) {
        return new CgroupDirectories(os, dirs, memoryDir.map(d -> d.resolve("memory.oom_control")),
                pidsDir.map(d -> d.resolve("pids.events")), Optional.empty());
    }

    List<Path> directories() {
        return dirs;
    }

    @Override
    public List<Path> procsFiles() {
        return dirs.stream().map(d -> d.resolve("cgroup.procs")).toList();
    }

    @Override
    public List<String> commandPrefix() {
        return List.of();
    }

    @Override
    public LimitEvents events() {
        return new LimitEvents(ControlFiles.counter(os, oomKillCounter, "oom_kill"),
                ControlFiles.counter(os, pidsEvents, "max"));
    }

    @Override
    public void killAll() {
        if (killFile.isPresent() && os.exists(killFile.get())) {
            try {
                os.write(killFile.get(), "1");
            } catch (IOException e) {
                // fall back to signalling every process below
            }
        }
        for (int round = 0; round < KILL_ROUNDS; round++) {
            Set<Long> pids = remainingPids();
            if (pids.isEmpty()) return;
            pids.forEach(os::kill);
            if (!pause()) return;
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        try {
            killAll();
            for (Path dir : dirs) removeTree(dir);
        } catch (RuntimeException e) {
            // best effort: close never throws
        }
    }

    @Override
    public boolean enforced() {
        return true;
    }

    /** Every process in these cgroups and in any cgroup below them. */
    private Set<Long> remainingPids() {
        Set<Long> pids = new LinkedHashSet<>();
        for (Path dir : dirs) {
            for (Path cgroup : treeOf(dir)) pids.addAll(ControlFiles.pids(os, cgroup.resolve("cgroup.procs")));
        }
        return pids;
    }

    /** The directory and all below it, deepest first. */
    private List<Path> treeOf(Path dir) {
        List<Path> tree = new ArrayList<>();
        try {
            for (Path child : os.subdirectories(dir)) tree.addAll(treeOf(child));
        } catch (IOException e) {
            // gone or unreadable: nothing below
        }
        tree.add(dir);
        return tree;
    }

    /** rmdir fails while exiting processes are still counted; they are gone within moments. */
    private void removeTree(Path dir) {
        for (Path cgroup : treeOf(dir)) {
            for (int attempt = 0; attempt < REMOVE_ATTEMPTS && os.exists(cgroup); attempt++) {
                try {
                    os.removeDirectory(cgroup);
                } catch (IOException e) {
                    if (!pause()) return;
                }
            }
        }
    }

    private static boolean pause() {
        try {
            Thread.sleep(ROUND_PAUSE_MS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
