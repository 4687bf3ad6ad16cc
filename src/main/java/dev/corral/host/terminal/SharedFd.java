package dev.corral.host.terminal;

import dev.corral.host.Libc;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A file descriptor used by several threads, closed only when the last of them let go. Closing a
 * descriptor another thread is still polling or writing is a real hazard: the kernel hands the same
 * number to the next file the JVM opens, and the user's keystrokes would land in it.
 */
final class SharedFd {
    private final int fd;
    private final AtomicInteger holders = new AtomicInteger(1);
    private final AtomicBoolean closed = new AtomicBoolean();

    SharedFd(int fd) {
        this.fd = fd;
    }

    int fd() {
        return fd;
    }

    /** Takes a hold that keeps the descriptor open until {@link #release()}; false once closed. */
    boolean retain() {
        while (!closed.get()) {
            int n = holders.get();
            if (n == 0) return false;
            if (holders.compareAndSet(n, n + 1)) return true;
        }
        return false;
    }

    void release() {
        if (holders.decrementAndGet() == 0) Libc.close(fd);
    }

    /** The owner's release; idempotent. The descriptor closes now or when the last holder releases. */
    void close() {
        if (closed.compareAndSet(false, true)) release();
    }

    boolean isClosed() {
        return closed.get();
    }
}
