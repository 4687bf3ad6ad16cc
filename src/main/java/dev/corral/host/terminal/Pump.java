package dev.corral.host.terminal;

import dev.corral.host.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Copies bytes from one descriptor to another with {@code read(2)} and {@code write(2)}, no Java
 * buffering in between, until the source ends (end of file, or {@code EIO}: a pty master whose slave
 * was closed by its last process), a write fails, or the stop descriptor becomes readable. It only
 * ever blocks in {@code poll(2)} with the stop descriptor in the set, or in a write to a blocking
 * descriptor that does not drain.
 */
final class Pump implements Runnable {
    private static final int BUFFER_BYTES = 16 * 1024;

    private final int from;
    private final int to;
    private final int stop;
    private final Runnable whenDone;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean sourceEnded;

    /**
     * @param whenDone runs on the pump's thread when it ends, however it ends
     */
    Pump(int from, int to, int stop, Runnable whenDone) {
        this.from = from;
        this.to = to;
        this.stop = stop;
        this.whenDone = whenDone;
    }

    @Override
    public void run() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(BUFFER_BYTES);
            MemorySegment pollfds = arena.allocate(Libc.POLLFD, 2);
            while (awaitReady(pollfds, from, Libc.POLLIN)) {
                long n = Libc.read(from, buffer, BUFFER_BYTES);
                if (n > 0) {
                    if (!writeAll(pollfds, buffer, n)) return;
                } else if (n == 0 || Libc.errno() == Libc.EIO) {
                    sourceEnded = true;
                    return;
                } else if (Libc.errno() != Libc.EAGAIN) {
                    return;
                }
            }
        } finally {
            whenDone.run();
            ended.countDown();
        }
    }

    /** Waits for the pump to end, however it ends; false on timeout or interrupt. */
    boolean awaitEnd(Duration timeout) {
        return Ended.await(ended, timeout);
    }

    /** Whether the pump ended because its source did: end of file, or EIO from a pty master. */
    boolean sourceEnded() {
        return sourceEnded;
    }

    private boolean writeAll(MemorySegment pollfds, MemorySegment buffer, long count) {
        long done = 0;
        while (done < count) {
            long n = Libc.write(to, buffer.asSlice(done), count - done);
            if (n > 0) {
                done += n;
            } else if (n < 0 && Libc.errno() == Libc.EAGAIN) {
                if (!awaitReady(pollfds, to, Libc.POLLOUT)) return false;
            } else {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits until {@code fd} is ready for {@code events} (or has failed: the next call tells) or
     * the pump is told to stop; false when it is told to stop or poll itself fails.
     */
    private boolean awaitReady(MemorySegment pollfds, int fd, short events) {
        PollFds.set(pollfds, 0, fd, events);
        PollFds.set(pollfds, 1, stop, Libc.POLLIN);
        if (Libc.poll(pollfds, 2, -1) < 0) return false;
        return PollFds.revents(pollfds, 1) == 0;
    }
}
