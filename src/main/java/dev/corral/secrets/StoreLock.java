package dev.corral.secrets;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The secrets folder's lock, held across each read-modify-write so two {@code corral secret set}
 * at once don't lose an update: a lock on a file for other processes, and a lock in memory for
 * other threads of this one (the kernel's file locks belong to the whole process).
 */
final class StoreLock implements AutoCloseable {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
    private final ReentrantLock threads;
    private final FileChannel channel;

    private StoreLock(ReentrantLock threads, FileChannel channel) {
        this.threads = threads;
        this.channel = channel;
    }

    static StoreLock acquire(Path lockFile) {
        ReentrantLock threads = IN_PROCESS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), p -> new ReentrantLock());
        threads.lock();
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), PrivateFiles.OWNER_ONLY_FILE);
            channel.lock();
            return new StoreLock(threads, channel);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            threads.unlock();
            throw new SecretException("cannot lock " + lockFile + ": " + e.getMessage(), "check that " + lockFile.getParent() + " is writable", e);
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
        threads.unlock();
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing releases the lock; the process ending would too
        }
    }
}
