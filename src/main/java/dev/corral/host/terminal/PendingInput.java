package dev.corral.host.terminal;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * What clients typed that the sandbox has not read yet: filled by the console's socket thread, a
 * whole frame at a time so two clients' keystrokes never interleave within one, and drained into the
 * pty master by its pump. Bounded: when it is full the socket thread stops reading from clients,
 * so a sandbox that does not read its terminal holds back its clients rather than the supervisor's memory.
 */
final class PendingInput {
    /** Room for the largest frame; a pty's own input queue is only 4 KiB. */
    static final int CAPACITY = ConsoleFrames.MAX_PAYLOAD;

    private final byte[] ring = new byte[CAPACITY];
    private int head;
    private int count;

    /** Queues all of {@code bytes}, or nothing (and returns false) if they do not fit. */
    synchronized boolean offer(ByteBuffer bytes) {
        int length = bytes.remaining();
        if (length > CAPACITY - count) return false;
        int tail = (head + count) % CAPACITY;
        int first = Math.min(length, CAPACITY - tail);
        bytes.get(ring, tail, first);
        bytes.get(ring, 0, length - first);
        count += length;
        return true;
    }

    synchronized boolean isEmpty() {
        return count == 0;
    }

    /** Copies up to {@code max} of the oldest bytes into {@code to} without removing them; how many. */
    synchronized int peek(MemorySegment to, int max) {
        int length = Math.min(max, count);
        int first = Math.min(length, CAPACITY - head);
        MemorySegment.copy(ring, head, to, JAVA_BYTE, 0, first);
        MemorySegment.copy(ring, 0, to, JAVA_BYTE, first, length - first);
        return length;
    }

    /** Removes the {@code n} oldest bytes, which the sandbox has now been given. */
    synchronized void remove(int n) {
        head = (head + n) % CAPACITY;
        count -= n;
    }
}
