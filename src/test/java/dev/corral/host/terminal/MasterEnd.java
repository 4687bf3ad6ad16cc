package dev.corral.host.terminal;

import dev.corral.host.Libc;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The test's hands on a pty master: a thread collects everything the other side writes, and the
 * test types into it. Reading ends at {@code EIO}, when the last process holding the slave closed it.
 */
final class MasterEnd implements AutoCloseable {
    private static final long FD = Libc.POLLFD.byteOffset(MemoryLayout.PathElement.groupElement("fd"));
    private static final long EVENTS = Libc.POLLFD.byteOffset(MemoryLayout.PathElement.groupElement("events"));

    private final Pty pty;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final Thread reader;
    private volatile boolean stopped;
    private boolean ended;

    private MasterEnd(Pty pty) {
        this.pty = pty;
        this.reader = Thread.ofPlatform().name("test-master-reader").daemon().unstarted(this::readUntilEnd);
    }

    /** Starts collecting; call it once a process holds the slave, or the master reads as hung up. */
    static MasterEnd of(Pty pty) {
        MasterEnd end = new MasterEnd(pty);
        end.reader.start();
        return end;
    }

    void type(String text) {
        type(text.getBytes(StandardCharsets.UTF_8));
    }

    void type(byte... bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocateFrom(JAVA_BYTE, bytes);
            long done = 0;
            while (done < bytes.length) {
                long n = Libc.write(pty.masterFd(), buffer.asSlice(done), bytes.length - done);
                if (n > 0) done += n;
                else if (n < 0 && Libc.errno() == Libc.EAGAIN) sleep(5);
                else throw new AssertionError("cannot write to the master: " + Libc.strerror(Libc.errno()));
            }
        }
    }

    synchronized String text() {
        return received.toString(StandardCharsets.UTF_8);
    }

    /** Waits until the output contains {@code expected}; fails with everything seen so far if it does not. */
    synchronized void awaitText(String expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!text().contains(expected)) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || ended) throw new AssertionError("no \"" + expected + "\" in the output:\n" + text());
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Waits until reading the master ended in {@code EIO}; false on timeout. */
    synchronized boolean awaitEnd(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ended) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        reader.join();
    }

    private void readUntilEnd() {
        int fd = pty.masterFd();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(4096);
            MemorySegment pollfd = arena.allocate(Libc.POLLFD);
            pollfd.set(JAVA_INT, FD, fd);
            pollfd.set(JAVA_SHORT, EVENTS, Libc.POLLIN);
            while (!stopped) {
                Libc.poll(pollfd, 1, 20);
                long n = Libc.read(fd, buffer, buffer.byteSize());
                if (n > 0) {
                    append(buffer.asSlice(0, n).toArray(JAVA_BYTE));
                } else if (n == 0 || Libc.errno() != Libc.EAGAIN) {
                    markEnded();
                    return;
                }
            }
        }
    }

    private synchronized void append(byte[] bytes) {
        received.writeBytes(bytes);
        notifyAll();
    }

    private synchronized void markEnded() {
        ended = true;
        notifyAll();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
