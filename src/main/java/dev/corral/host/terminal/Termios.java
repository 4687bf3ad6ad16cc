package dev.corral.host.terminal;

import dev.corral.host.Libc;
import dev.corral.host.HostException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A snapshot of a terminal's settings ({@code struct termios}), kept as opaque bytes: Corral only
 * saves them, makes a raw copy with the C library's own {@code cfmakeraw} and writes them back.
 */
final class Termios {
    /** glibc's and musl's {@code struct termios} is 60 bytes on Linux; the rest is room to spare. */
    private static final int STRUCT_BYTES = 128;

    private final byte[] bytes;

    private Termios(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The settings of terminal {@code fd}; empty if it is not a terminal. */
    static Optional<Termios> of(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment termios = arena.allocate(STRUCT_BYTES);
            if (Libc.tcgetattr(fd, termios) != 0) return Optional.empty();
            return Optional.of(new Termios(termios.toArray(JAVA_BYTE)));
        }
    }

    /**
     * These settings in raw mode, as {@code cfmakeraw} (and {@code docker run -it}) sets it: no echo,
     * no line editing, no signal characters, no input or output translation, 8-bit bytes.
     */
    Termios raw() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment termios = arena.allocateFrom(JAVA_BYTE, bytes);
            Libc.cfmakeraw(termios);
            return new Termios(termios.toArray(JAVA_BYTE));
        }
    }

    /** Applies these settings to terminal {@code fd} at once, without discarding queued input. */
    void applyTo(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            if (Libc.tcsetattr(fd, Libc.TCSANOW, arena.allocateFrom(JAVA_BYTE, bytes)) != 0) {
                throw Libc.failure("cannot change the settings of terminal " + fd,
                        "run Corral in the foreground of its terminal");
            }
        }
    }
}
