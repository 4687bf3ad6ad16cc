package dev.corral.host.terminal;

import dev.corral.host.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/** Questions about the terminals behind file descriptors (0, 1 and 2 are the user's, if any). */
public final class Terminals {
    private static final long ROWS = Libc.WINSIZE.byteOffset(MemoryLayout.PathElement.groupElement("ws_row"));
    private static final long COLS = Libc.WINSIZE.byteOffset(MemoryLayout.PathElement.groupElement("ws_col"));

    private Terminals() {
    }

    /** Whether {@code fd} is an open terminal. */
    public static boolean isTerminal(int fd) {
        return Libc.isatty(fd);
    }

    /** The window size of terminal {@code fd}; empty if it is no terminal or its size is unknown (0x0). */
    public static Optional<WindowSize> windowSize(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment winsize = arena.allocate(Libc.WINSIZE);
            if (Libc.ioctl(fd, Libc.TIOCGWINSZ, winsize) != 0) return Optional.empty();
            int rows = Short.toUnsignedInt(winsize.get(JAVA_SHORT, ROWS));
            int cols = Short.toUnsignedInt(winsize.get(JAVA_SHORT, COLS));
            return rows == 0 || cols == 0 ? Optional.empty() : Optional.of(new WindowSize(rows, cols));
        }
    }

    /**
     * Sets the window size of terminal {@code fd}; on a pty master the kernel then sends SIGWINCH to
     * the foreground process group on the other side. Returns false if the call failed ({@link Libc#errno()}).
     */
    static boolean setWindowSize(int fd, WindowSize size) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment winsize = arena.allocate(Libc.WINSIZE);
            winsize.set(JAVA_SHORT, ROWS, (short) size.rows());
            winsize.set(JAVA_SHORT, COLS, (short) size.cols());
            return Libc.ioctl(fd, Libc.TIOCSWINSZ, winsize) == 0;
        }
    }
}
