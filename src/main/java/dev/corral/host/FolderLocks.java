package dev.corral.host;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Locks on folders by their identity (device and inode), so that whatever path spelling,
 * environment or user another Corral uses, it meets the same lock. Each folder's lock is a file in
 * the machine-wide lock folder ({@code /run/lock}, sticky and writable by all), named after the
 * folder's device and inode. A sandbox holds an exclusive lock for each folder it may write (its
 * workspace, its writable volumes) and a shared lock for each of their parents, so two sandboxes
 * can't run where one could write under the other. A lock file someone else made unusable fails
 * the launch (closed), it never skips the lock.
 */
public final class FolderLocks implements AutoCloseable {
    private static final Path LOCKS = Files.isDirectory(Path.of("/run/lock")) ? Path.of("/run/lock") : Path.of("/tmp");
    private final List<FileChannel> channels = new ArrayList<>();

    private FolderLocks() {
    }

    /** Takes the locks without waiting; empty if another holder is in the way (all released then). */
    public static Optional<FolderLocks> tryAcquire(List<Path> writable) {
        FolderLocks locks = new FolderLocks();
        try {
            for (Path folder : writable) {
                if (!locks.lock(folder, false)) return locks.giveUp();
                for (Path parent = folder.getParent(); parent != null; parent = parent.getParent()) {
                    if (!locks.lock(parent, true)) return locks.giveUp();
                }
            }
            return Optional.of(locks);
        } catch (IOException e) {
            locks.close();
            throw new HostException("cannot lock " + writable + " for the sandbox: " + e.getMessage(),
                    "check the lock files corral-*.lock in " + LOCKS + " (another user may have made one unusable)", e);
        }
    }

    private Optional<FolderLocks> giveUp() {
        close();
        return Optional.empty();
    }

    private boolean lock(Path folder, boolean shared) throws IOException {
        Object dev = Files.getAttribute(folder, "unix:dev", LinkOption.NOFOLLOW_LINKS);
        Object ino = Files.getAttribute(folder, "unix:ino", LinkOption.NOFOLLOW_LINKS);
        Path file = LOCKS.resolve("corral-" + dev + "-" + ino + ".lock");
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-rw-rw-")));
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another start made it a moment ago
            }
        }
        if (Files.isSymbolicLink(file)) throw new IOException(file + " is a symbolic link");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        channels.add(channel);
        try {
            FileLock lock = channel.tryLock(0, Long.MAX_VALUE, shared);
            return lock != null;
        } catch (OverlappingFileLockException sameProcess) {
            return shared;
        }
    }

    @Override
    public void close() {
        for (FileChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // released with the process anyway
            }
        }
        channels.clear();
    }
}
