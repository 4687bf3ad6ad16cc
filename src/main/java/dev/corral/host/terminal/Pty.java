package dev.corral.host.terminal;

import dev.corral.host.Libc;
import dev.corral.host.HostException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * A pseudo-terminal of the sandbox's own, like {@code docker run -it} gives a container.
 *
 * <p>Why not hand the sandbox the user's terminal: whoever holds a terminal can push keystrokes into
 * it ({@code TIOCSTI}), rewrite its settings, read what the user types after the sandbox is gone,
 * and receive the signals its keys generate. With a pty of its own the sandbox only ever reaches
 * itself: Ctrl-C becomes SIGINT for the sandbox's foreground process group (never for the
 * supervisor or bubblewrap's monitor), and injected input lands in the sandbox's own queue. The
 * supervisor keeps the master and relays bytes between it and the user's terminal
 * ({@link TerminalRelay}).
 *
 * <p>The supervisor never opens the slave itself: it passes {@link #slavePath()} to
 * {@code ProcessBuilder.redirectInput/Output/Error(File)}, so only the sandbox holds it, and reading
 * the master fails with {@code EIO} as soon as the last process of the sandbox has closed it. For the
 * sandbox's Ctrl-C to work, its first process must start a session and take the slave as its
 * controlling terminal ({@code setsid --ctty}).
 */
public final class Pty implements AutoCloseable {
    private static final Path PTMX = Path.of("/dev/ptmx");

    private final SharedFd master;
    private final Path slavePath;

    private Pty(SharedFd master, Path slavePath) {
        this.master = master;
        this.slavePath = slavePath;
    }

    /** Opens a new pseudo-terminal pair; only the master is open when this returns. */
    public static Pty open() throws HostException {
        int fd = Libc.open(PTMX.toString(), Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_CLOEXEC | Libc.O_NONBLOCK);
        if (fd < 0) {
            throw Libc.failure("cannot open a pseudo-terminal (" + PTMX + ")", "mount devpts on /dev/pts, or run without a terminal");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(JAVA_INT);
            if (Libc.ioctl(fd, Libc.TIOCSPTLCK, value) != 0) throw closing(fd, Libc.failure("cannot unlock the pseudo-terminal", null));
            if (Libc.ioctl(fd, Libc.TIOCGPTN, value) != 0) throw closing(fd, Libc.failure("cannot number the pseudo-terminal", null));
            Path slave = Path.of("/dev/pts/" + Integer.toUnsignedString(value.get(JAVA_INT, 0)));
            if (!Files.exists(slave)) {
                throw closing(fd, new HostException("the pseudo-terminal " + slave + " does not exist",
                        "mount devpts on /dev/pts, next to /dev/ptmx"));
            }
            return new Pty(new SharedFd(fd), slave);
        }
    }

    /** The slave side, for the sandbox to open as its stdin, stdout and stderr. */
    public Path slavePath() {
        return slavePath;
    }

    /**
     * The master side, open in non-blocking mode and close-on-exec; valid until {@link #close()}.
     *
     * @throws IllegalStateException when closed
     */
    public int masterFd() {
        if (master.isClosed()) throw new IllegalStateException("the pseudo-terminal " + slavePath + " is closed");
        return master.fd();
    }

    /**
     * Sets the window size the sandbox sees; the kernel sends SIGWINCH to its foreground process group.
     *
     * @throws IllegalStateException when closed
     */
    public void setWindowSize(WindowSize size) {
        if (!master.retain()) throw new IllegalStateException("the pseudo-terminal " + slavePath + " is closed");
        try {
            if (!Terminals.setWindowSize(master.fd(), size)) {
                throw Libc.failure("cannot set the window size of " + slavePath, null);
            }
        } finally {
            master.release();
        }
    }

    /** The window size the sandbox sees; empty if none was set yet. */
    public Optional<WindowSize> windowSize() {
        if (!master.retain()) throw new IllegalStateException("the pseudo-terminal " + slavePath + " is closed");
        try {
            return Terminals.windowSize(master.fd());
        } finally {
            master.release();
        }
    }

    /** Closes the master (once threads still relaying through it have let go); idempotent. */
    @Override
    public void close() {
        master.close();
    }

    /** The master for code that must hold it open while using it from other threads. */
    SharedFd master() {
        return master;
    }

    private static HostException closing(int fd, HostException failure) {
        Libc.close(fd);
        return failure;
    }
}
