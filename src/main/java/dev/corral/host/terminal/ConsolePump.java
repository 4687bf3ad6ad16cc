package dev.corral.host.terminal;

import dev.corral.host.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The one thread of a {@link DetachedConsole} that touches the pty master: it reads the sandbox's
 * output into the log and every client's queue, and writes the clients' input into it when the
 * sandbox has room. It reads whether or not anyone is attached: a pty whose output nobody reads
 * fills (a few KiB) and then blocks every process of the sandbox that writes to it.
 *
 * <p>It waits only in {@code poll(2)}, on the master and a wake-up eventfd, which tells it that
 * input arrived or that it is to stop. It never waits for a client: handing output to one only queues
 * it ({@link ConsoleConnection#send}). The log is a local file, so a write to it does not wait long.
 */
final class ConsolePump implements Runnable {
    private static final int BUFFER_BYTES = 16 * 1024;
    private static final MemorySegment ONE = Arena.global().allocateFrom(JAVA_LONG, 1L);

    private final SharedFd master;
    private final SharedFd wake;
    private final PendingInput input;
    private final ConsoleLog log;
    private final ConsoleServer clients;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile boolean sourceEnded;
    private boolean logBroken;

    /** The pump holds {@code master} and {@code wake} (retained by the caller) and releases them when it ends. */
    ConsolePump(SharedFd master, SharedFd wake, PendingInput input, ConsoleLog log, ConsoleServer clients) {
        this.master = master;
        this.wake = wake;
        this.input = input;
        this.log = log;
        this.clients = clients;
    }

    @Override
    public void run() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(BUFFER_BYTES);
            MemorySegment pollfds = arena.allocate(Libc.POLLFD, 2);
            while (true) {
                short masterEvents = (short) (Libc.POLLIN | (input.isEmpty() ? 0 : Libc.POLLOUT));
                PollFds.set(pollfds, 0, master.fd(), masterEvents);
                PollFds.set(pollfds, 1, wake.fd(), Libc.POLLIN);
                if (Libc.poll(pollfds, 2, -1) < 0) return;
                if (PollFds.revents(pollfds, 1) != 0) {
                    Libc.read(wake.fd(), buffer, JAVA_LONG.byteSize()); // resets the eventfd's count
                    if (stopping) return;
                }
                short ready = PollFds.revents(pollfds, 0);
                if ((ready & Libc.POLLOUT) != 0) writeInput(buffer);
                if (ready != 0 && ready != Libc.POLLOUT && !readOutput(buffer)) return;
            }
        } finally {
            wake.release();
            master.release();
            ended.countDown();
        }
    }

    /** Tells the pump that input is waiting; any thread. */
    void inputArrived() {
        signal();
    }

    /** Ends the pump at its next wake-up; any thread. */
    void stop() {
        stopping = true;
        signal();
    }

    /** Waits for the pump to end, however it ends; false on timeout or interrupt. */
    boolean awaitEnd(Duration timeout) {
        return Ended.await(ended, timeout);
    }

    /** Whether the pump ended because the sandbox's last process closed the terminal. */
    boolean sourceEnded() {
        return sourceEnded;
    }

    /** One read of the master; false when the pump is to end. */
    private boolean readOutput(MemorySegment buffer) {
        long n = Libc.read(master.fd(), buffer, BUFFER_BYTES);
        if (n > 0) {
            deliver(buffer, (int) n);
            return true;
        }
        if (n == 0 || Libc.errno() == Libc.EIO) {
            sourceEnded = true;
            return false;
        }
        return Libc.errno() == Libc.EAGAIN;
    }

    private void deliver(MemorySegment buffer, int n) {
        if (!logBroken) {
            try {
                log.append(buffer.asSlice(0, n).asByteBuffer());
            } catch (IOException diskFullOrGone) {
                logBroken = true; // the clients still get the output; the sandbox must not stop for its log
            }
        }
        if (clients.hasClients()) {
            byte[] frame = new byte[ConsoleFrames.HEADER + n];
            frame[0] = ConsoleFrames.DATA;
            frame[1] = (byte) (n >>> 24);
            frame[2] = (byte) (n >>> 16);
            frame[3] = (byte) (n >>> 8);
            frame[4] = (byte) n;
            MemorySegment.copy(buffer, JAVA_BYTE, 0, frame, ConsoleFrames.HEADER, n);
            clients.broadcast(frame);
        }
    }

    private void writeInput(MemorySegment buffer) {
        int length = input.peek(buffer, BUFFER_BYTES);
        long n = Libc.write(master.fd(), buffer, length);
        if (n > 0) {
            input.remove((int) n);
            clients.inputTaken();
        }
    }

    private void signal() {
        if (!wake.retain()) return;
        try {
            Libc.write(wake.fd(), ONE, JAVA_LONG.byteSize());
        } finally {
            wake.release();
        }
    }
}
