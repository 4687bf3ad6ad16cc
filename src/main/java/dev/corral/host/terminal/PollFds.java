package dev.corral.host.terminal;

import dev.corral.host.Libc;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/** An array of {@code struct pollfd} for {@link Libc#poll}, filled and read by index. */
final class PollFds {
    private static final long FD = Libc.POLLFD.byteOffset(MemoryLayout.PathElement.groupElement("fd"));
    private static final long EVENTS = Libc.POLLFD.byteOffset(MemoryLayout.PathElement.groupElement("events"));
    private static final long REVENTS = Libc.POLLFD.byteOffset(MemoryLayout.PathElement.groupElement("revents"));

    private PollFds() {
    }

    /** Asks for {@code events} on {@code fd} at {@code index}, clearing what the last poll returned there. */
    static void set(MemorySegment pollfds, int index, int fd, short events) {
        long base = index * Libc.POLLFD.byteSize();
        pollfds.set(JAVA_INT, base + FD, fd);
        pollfds.set(JAVA_SHORT, base + EVENTS, events);
        pollfds.set(JAVA_SHORT, base + REVENTS, (short) 0);
    }

    /** What the last poll returned at {@code index}. */
    static short revents(MemorySegment pollfds, int index) {
        return pollfds.get(JAVA_SHORT, index * Libc.POLLFD.byteSize() + REVENTS);
    }
}
