package dev.corral.host.terminal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * One attached client of a {@link DetachedConsole}: what it sent that is not handled yet, and the
 * output it has not taken yet. The output is bounded: a client that falls {@value #MAX_QUEUED}
 * bytes behind (a stuck terminal, a suspended {@code corral attach}) is dropped rather than
 * allowed to slow the sandbox or fill the supervisor's memory; it can attach again.
 *
 * <p>{@link #send} is the pump's; everything else is the socket thread's.
 */
final class ConsoleConnection {
    /** 1 MiB: several full screens of a busy program, on top of the socket's own buffer. */
    static final int MAX_QUEUED = 1024 * 1024;

    final SocketChannel channel;
    /** Frames read from the client, in write mode between reads. */
    final ByteBuffer in = ByteBuffer.allocate(ConsoleFrames.HEADER + ConsoleFrames.MAX_PAYLOAD);
    /** Whether its first RESIZE, the one of attaching, came yet. */
    boolean sized;
    /** Whether reading from it waits for room in the sandbox's input. */
    boolean paused;
    /** Whether it is told the exit status and goes once that is written. */
    boolean closeWhenFlushed;

    private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
    private long queued;
    private boolean dropped;

    ConsoleConnection(SocketChannel channel) {
        this.channel = channel;
    }

    /**
     * Queues a frame for the client; {@code frame} is shared with the other clients and not changed.
     * Once the client is too far behind, its queue is emptied and it is to be dropped.
     */
    synchronized void send(byte[] frame) {
        if (dropped) return;
        if (queued + frame.length > MAX_QUEUED) {
            dropped = true;
            out.clear();
            queued = 0;
            return;
        }
        out.add(ByteBuffer.wrap(frame));
        queued += frame.length;
    }

    /**
     * Writes what the socket takes now, without waiting.
     *
     * @return whether everything queued was written
     * @throws IOException if the client is gone
     */
    synchronized boolean flush() throws IOException {
        while (!out.isEmpty()) {
            ByteBuffer head = out.peek();
            int n = channel.write(head);
            queued -= n;
            if (head.hasRemaining()) return false;
            out.poll();
        }
        return true;
    }

    /** Whether it fell too far behind (or was closed) and is to be dropped. */
    synchronized boolean dropped() {
        return dropped;
    }

    /** Stops queueing for it; the socket thread closes the channel. */
    synchronized void drop() {
        dropped = true;
        out.clear();
        queued = 0;
    }
}
