package dev.corral.host.terminal;

import dev.corral.host.Libc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Joins the slave side of a Corral pseudo-terminal to a process whose terminal lives elsewhere
 * (a container's, reached through its engine): bytes both ways with the slave in raw mode, so
 * the far terminal does all the line editing, and window sizes passed on as they change. The
 * relay or console on the master side is then the same as for a native sandbox.
 */
public final class PtyBridge implements AutoCloseable {
    private static final Duration WINDOW_POLL = Duration.ofMillis(200);
    private final int slave;
    private final Thread output;
    private Thread input;
    private volatile boolean closed;

    private PtyBridge(int slave, Thread output) {
        this.slave = slave;
        this.output = output;
    }

    /**
     * @param fromProcess what the far process writes to its terminal
     * @param toProcess   where what the user types goes
     * @param resize      told the window size at once and on every change
     */
    public static PtyBridge start(Pty pty, InputStream fromProcess, OutputStream toProcess, Consumer<WindowSize> resize) {
        int slave = Libc.open(pty.slavePath().toString(), Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_CLOEXEC);
        if (slave < 0) throw Libc.failure("cannot open the pseudo-terminal " + pty.slavePath(), null);
        Termios.of(slave).ifPresent(settings -> settings.raw().applyTo(slave));
        Thread output = Thread.ofPlatform().daemon(true).name("corral-pty-output").unstarted(() -> copyToSlave(fromProcess, slave));
        PtyBridge bridge = new PtyBridge(slave, output);
        output.start();
        bridge.input = Thread.ofPlatform().daemon(true).name("corral-pty-input").start(() -> bridge.copyFromSlave(toProcess));
        Thread.ofPlatform().daemon(true).name("corral-pty-window").start(() -> bridge.followWindow(resize));
        return bridge;
    }

    /** Waits until the far process's output has all reached the pseudo-terminal. */
    public boolean awaitOutput(Duration timeout) {
        try {
            output.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !output.isAlive();
    }

    private static void copyToSlave(InputStream from, int slave) {
        byte[] buffer = new byte[16384];
        try (Arena arena = Arena.ofShared()) {
            MemorySegment segment = arena.allocate(buffer.length);
            for (int n = from.read(buffer); n >= 0; n = from.read(buffer)) {
                MemorySegment.copy(buffer, 0, segment, JAVA_BYTE, 0, n);
                long written = 0;
                while (written < n) {
                    long w = Libc.write(slave, segment.asSlice(written), n - written);
                    if (w <= 0) return;
                    written += w;
                }
            }
        } catch (IOException ignored) {
            // the process's stream ended
        }
    }

    private void copyFromSlave(OutputStream to) {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment segment = arena.allocate(16384);
            byte[] buffer = new byte[16384];
            while (!closed) {
                long n = Libc.read(slave, segment, buffer.length);
                if (n <= 0) return; // EIO once the master is closed
                MemorySegment.copy(segment, JAVA_BYTE, 0, buffer, 0, (int) n);
                to.write(buffer, 0, (int) n);
                to.flush();
            }
        } catch (IOException ignored) {
            // the process is gone
        }
    }

    private void followWindow(Consumer<WindowSize> resize) {
        Optional<WindowSize> last = Optional.empty();
        while (!closed) {
            try {
                Optional<WindowSize> now = Terminals.windowSize(slave);
                if (now.isPresent() && !now.equals(last)) {
                    last = now;
                    resize.accept(now.get());
                }
                Thread.sleep(WINDOW_POLL);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) return; // a resize racing the end: nothing to resize any more
            }
        }
    }

    /** Call after the master is closed, which ends the reading thread; a slave still read is left open rather than reused. */
    @Override
    public void close() {
        closed = true;
        try {
            input.join(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!input.isAlive()) Libc.close(slave);
    }
}
