package dev.corral.host.terminal;

import dev.corral.host.Libc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The keyboard side of {@code corral attach}: reads what the user types and sends it to the console
 * as DATA frames, except the detach keys, which end the session and leave the sandbox running. It
 * waits in {@code poll(2)} on the input and a stop eventfd, so it can be ended while no key comes.
 * At the end of the input (a script's stdin) it stops sending; the output goes on.
 */
final class ClientInput implements Runnable {
    private static final int BUFFER_BYTES = 16 * 1024;

    private final int in;
    private final SharedFd stop;
    private final SocketChannel channel;
    private final DetachKeys.Matcher detachKeys;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean detached;

    /** Holds {@code stop} (retained by the caller) until it ends. */
    ClientInput(int in, SharedFd stop, SocketChannel channel, DetachKeys keys) {
        this.in = in;
        this.stop = stop;
        this.channel = channel;
        this.detachKeys = keys.matcher();
    }

    @Override
    public void run() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(BUFFER_BYTES);
            MemorySegment pollfds = arena.allocate(Libc.POLLFD, 2);
            ByteArrayOutputStream forward = new ByteArrayOutputStream(BUFFER_BYTES);
            while (awaitInput(pollfds)) {
                long n = Libc.read(in, buffer, BUFFER_BYTES);
                if (n < 0 && Libc.errno() == Libc.EAGAIN) continue;
                if (n <= 0) return; // the end of the input: stop sending, keep showing output
                forward.reset();
                boolean detach = detachKeys.feed(buffer.asSlice(0, n).toArray(JAVA_BYTE), (int) n, forward);
                send(forward.toByteArray());
                if (detach) {
                    detached = true;
                    channel.close(); // ends the output side's read
                    return;
                }
            }
        } catch (IOException consoleGone) {
            // the output side sees it too, and tells how the session ended
        } finally {
            stop.release();
            ended.countDown();
        }
    }

    /** Whether the user typed the detach keys. */
    boolean detached() {
        return detached;
    }

    boolean awaitEnd(Duration timeout) {
        return Ended.await(ended, timeout);
    }

    private void send(byte[] bytes) throws IOException {
        for (int offset = 0; offset < bytes.length; offset += ConsoleFrames.MAX_PAYLOAD) {
            int length = Math.min(ConsoleFrames.MAX_PAYLOAD, bytes.length - offset);
            ConsoleClient.write(channel, ConsoleFrames.data(bytes, offset, length));
        }
    }

    /** Waits for input (or its end); false when told to stop or poll fails. */
    private boolean awaitInput(MemorySegment pollfds) {
        PollFds.set(pollfds, 0, in, Libc.POLLIN);
        PollFds.set(pollfds, 1, stop.fd(), Libc.POLLIN);
        if (Libc.poll(pollfds, 2, -1) < 0) return false;
        return PollFds.revents(pollfds, 1) == 0;
    }
}
