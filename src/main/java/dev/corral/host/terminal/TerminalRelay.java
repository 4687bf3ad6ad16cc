package dev.corral.host.terminal;

import dev.corral.host.Libc;
import dev.corral.host.HostException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Connects the user's terminal (descriptors 0 and 1) to a sandbox's {@link Pty}, as
 * {@code docker run -it} does: the user's terminal goes into raw mode, so every key (Ctrl-C too)
 * travels as a byte to the pty, whose own line discipline turns it into a signal for the sandbox's
 * foreground process group; window resizes follow; the sandbox's output is copied back unchanged.
 *
 * <p>The user's terminal settings are restored by {@link #close()} and, should the JVM be ended by
 * SIGTERM, SIGHUP or SIGINT first, by a shutdown hook.
 */
public final class TerminalRelay implements AutoCloseable {
    private static final int STDIN = 0;
    private static final int STDOUT = 1;
    private static final Duration STOP_WAIT = Duration.ofMillis(500);

    private final Pty pty;
    private final SharedFd stop;
    private final Optional<Termios> userSettings;
    private final Thread restoreHook;
    private final AtomicBoolean restored = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private WindowChangeSignal resizes;
    private Pump input;
    private Pump output;

    private TerminalRelay(Pty pty, SharedFd stop, Optional<Termios> userSettings) {
        this.pty = pty;
        this.stop = stop;
        this.userSettings = userSettings;
        this.restoreHook = Thread.ofPlatform().name("corral-terminal-restore").unstarted(this::restoreUserTerminal);
    }

    /**
     * Starts relaying. If descriptor 0 is a terminal, it goes into raw mode until {@link #close()}:
     * meanwhile the supervisor should not write to the terminal itself ({@code \n} no longer returns
     * the carriage). Can be called before or after the sandbox opened the slave: until then, the
     * master simply has nothing to read.
     *
     * @throws HostException if the user's terminal cannot be put into raw mode
     */
    public static TerminalRelay start(Pty pty) {
        int stopFd = Libc.eventfd(0, Libc.EFD_CLOEXEC);
        if (stopFd < 0) throw Libc.failure("cannot create an eventfd for the terminal relay", null);
        TerminalRelay relay = new TerminalRelay(pty, new SharedFd(stopFd), Termios.of(STDIN));
        try {
            relay.begin();
            return relay;
        } catch (RuntimeException e) {
            relay.stopRelaying();
            throw e;
        }
    }

    private void begin() {
        copyWindowSize();
        if (userSettings.isPresent()) {
            Runtime.getRuntime().addShutdownHook(restoreHook);
            userSettings.get().raw().applyTo(STDIN);
        }
        resizes = WindowChangeSignal.onEach(this::copyWindowSize);
        int master = pty.master().fd();
        input = startPump("corral-terminal-input", STDIN, master);
        output = startPump("corral-terminal-output", master, STDOUT);
    }

    /**
     * Waits until the sandbox's output has all been copied to the user: the master reported that the
     * last process holding the slave closed it. Call it once the sandbox has exited.
     *
     * @return false if that did not happen within {@code timeout} (a process of the sandbox still
     *         holds the slave), or if the relay was closed or interrupted first
     */
    public boolean awaitOutput(Duration timeout) {
        return output.awaitEnd(timeout) && output.sourceEnded();
    }

    /** Stops relaying, restores the user's terminal settings and closes the pty; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        stopRelaying();
        pty.close();
    }

    private void stopRelaying() {
        closed.set(true);
        if (resizes != null) resizes.close();
        signalStop();
        join(output);
        join(input);
        restoreUserTerminal();
        if (userSettings.isPresent()) {
            try {
                Runtime.getRuntime().removeShutdownHook(restoreHook);
            } catch (IllegalStateException | IllegalArgumentException shuttingDownOrNeverAdded) {
                // the hook runs (or ran) anyway; restoring twice is harmless and guarded
            }
        }
        stop.close();
    }

    private Pump startPump(String name, int from, int to) {
        SharedFd master = pty.master();
        if (!master.retain()) throw new IllegalStateException("the pseudo-terminal " + pty.slavePath() + " is closed");
        if (!stop.retain()) {
            master.release();
            throw new IllegalStateException("the terminal relay is closed");
        }
        Pump pump = new Pump(from, to, stop.fd(), () -> {
            stop.release();
            master.release();
        });
        Thread.ofPlatform().name(name).daemon().start(pump);
        return pump;
    }

    private void copyWindowSize() {
        Optional<WindowSize> size = Terminals.windowSize(STDIN).or(() -> Terminals.windowSize(STDOUT));
        if (size.isEmpty() || closed.get()) return;
        try {
            pty.setWindowSize(size.get());
        } catch (RuntimeException closedMeanwhile) {
            // a resize racing with close(): nothing left to resize
        }
    }

    private void restoreUserTerminal() {
        if (userSettings.isPresent() && restored.compareAndSet(false, true)) {
            try {
                userSettings.get().applyTo(STDIN);
            } catch (HostException terminalGone) {
                // hung up: there is nothing left to restore
            }
        }
    }

    private void signalStop() {
        try (Arena arena = Arena.ofConfined()) {
            Libc.write(stop.fd(), arena.allocateFrom(JAVA_LONG, 1L), JAVA_LONG.byteSize());
        }
    }

    private static void join(Pump pump) {
        if (pump != null) pump.awaitEnd(STOP_WAIT);
    }
}
