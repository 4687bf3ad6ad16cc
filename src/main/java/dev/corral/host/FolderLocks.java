package dev.corral.host;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Locks on folders themselves (flock on a descriptor of the folder, so on its inode): whatever
 * path spelling, environment or user another Corral uses, it meets the same lock. A sandbox holds
 * an exclusive lock on each folder it may write (its workspace, its writable volumes) and a shared
 * lock on each of their parents, so two sandboxes can't run where one could write under the other.
 */
public final class FolderLocks implements AutoCloseable {
    private static final int O_RDONLY = 0;
    private static final int O_DIRECTORY = 0x10000;
    private static final int LOCK_SH = 1;
    private static final int LOCK_EX = 2;
    private static final int LOCK_NB = 4;
    private final List<Integer> fds;

    private FolderLocks(List<Integer> fds) {
        this.fds = fds;
    }

    /** Takes the locks without waiting; empty if another holder is in the way (all released then). */
    public static java.util.Optional<FolderLocks> tryAcquire(List<Path> writable) {
        List<Integer> fds = new ArrayList<>();
        FolderLocks locks = new FolderLocks(fds);
        for (Path folder : writable) {
            if (!lock(folder, LOCK_EX, fds, true)) {
                locks.close();
                return java.util.Optional.empty();
            }
            for (Path parent = folder.getParent(); parent != null; parent = parent.getParent()) {
                if (!lock(parent, LOCK_SH, fds, false)) {
                    locks.close();
                    return java.util.Optional.empty();
                }
            }
        }
        return java.util.Optional.of(locks);
    }

    /** False if the lock is held elsewhere; a parent this user can't open is passed over. */
    private static boolean lock(Path folder, int mode, List<Integer> fds, boolean required) {
        int fd = Libc.open(folder.toString(), O_RDONLY | O_DIRECTORY | Libc.O_CLOEXEC);
        if (fd < 0) {
            if (required) throw Libc.failure("cannot open " + folder + " to lock it", "check its permissions");
            return true;
        }
        fds.add(fd);
        return Libc.flock(fd, mode | LOCK_NB) == 0;
    }

    @Override
    public void close() {
        for (int fd : fds) Libc.close(fd);
        fds.clear();
    }
}
