package dev.corral.host.terminal;

import dev.corral.host.HostException;
import dev.corral.host.Libc;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A sandbox's terminal kept by its supervisor while no one, or any number of people, look at it:
 * what {@code corral run -d} leaves running, {@code corral attach} ({@link ConsoleClient}) connects
 * to, and {@code corral logs} ({@link ConsoleLog#print}) reads.
 *
 * <p>Two threads: a pump that alone touches the pty master ({@link ConsolePump}: output to the log
 * and to the clients' queues, their input to the sandbox) and a socket thread ({@link ConsoleServer}:
 * one selector for the listening socket and every client). Neither ever waits for a client, so a
 * stuck {@code corral attach} can neither stall the sandbox nor its log; it is dropped once it is
 * {@value ConsoleConnection#MAX_QUEUED} bytes behind. The protocol is {@link ConsoleFrames}.
 *
 * <p>Attaching shows what the sandbox writes from then on, as {@code docker attach} does, and
 * replays nothing: the log is for history. A client's window size applies to the sandbox (the last
 * one to attach or resize wins), and attaching makes a full-screen program redraw.
 */
public final class DetachedConsole implements AutoCloseable {
    private static final Duration DRAIN_WAIT = Duration.ofSeconds(2);
    private static final Duration GOODBYE_WAIT = Duration.ofSeconds(2);
    private static final Duration STOP_WAIT = Duration.ofSeconds(1);

    private final Pty pty;
    private final Path socket;
    private final Object socketKey;
    private final ConsoleLog log;
    private final SharedFd wake;
    private final ConsoleServer server;
    private final ConsolePump pump;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private DetachedConsole(Pty pty, Path socket, Object socketKey, ConsoleLog log, SharedFd wake,
                            ConsoleServer server, ConsolePump pump) {
        this.pty = pty;
        this.socket = socket;
        this.socketKey = socketKey;
        this.log = log;
        this.wake = wake;
        this.server = server;
        this.pump = pump;
    }

    /**
     * Starts keeping {@code pty}: its output goes to {@code log} and to whoever attaches at
     * {@code socket} (created {@code 0600}; a stale one left by a dead supervisor is replaced). Can
     * be called before or after the sandbox opened the slave. The console owns the pty and the log
     * from now on and closes both; if it cannot start, it closes the log and leaves the pty open.
     *
     * @throws HostException if the socket cannot be made, or another supervisor serves it
     */
    public static DetachedConsole start(Pty pty, Path socket, ConsoleLog log) {
        SharedFd master = pty.master();
        if (!master.retain()) {
            log.close();
            throw new IllegalStateException("the pseudo-terminal " + pty.slavePath() + " is closed");
        }
        int wakeFd = Libc.eventfd(0, Libc.EFD_CLOEXEC);
        if (wakeFd < 0) {
            master.release();
            log.close();
            throw Libc.failure("cannot create an eventfd for the detached console", null);
        }
        SharedFd wake = new SharedFd(wakeFd);
        ServerSocketChannel listener = null;
        try {
            listener = ConsoleSocket.listen(socket);
            Object socketKey = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            PendingInput input = new PendingInput();
            ConsoleServer server = new ConsoleServer(listener, pty, input);
            wake.retain(); // the pump's hold, released when it ends; it has the master's already
            ConsolePump pump = new ConsolePump(master, wake, input, log, server);
            server.feeding(pump);
            Thread.ofPlatform().name("corral-console-clients").daemon().start(server);
            Thread.ofPlatform().name("corral-console-pump").daemon().start(pump);
            return new DetachedConsole(pty, socket, socketKey, log, wake, server, pump);
        } catch (IOException | RuntimeException e) {
            master.release();
            wake.close();
            log.close();
            if (listener != null) closeListener(listener, socket);
            if (e instanceof RuntimeException runtime) throw runtime;
            throw new HostException("cannot start the detached console at " + socket + ": " + e.getMessage(), null);
        }
    }

    /** The socket clients attach to. */
    public Path socket() {
        return socket;
    }

    /**
     * Waits until all the sandbox's output is in the log and the clients' queues: the master
     * reported that the last process holding the slave closed it. Call it once the sandbox exited.
     *
     * @return false if that did not happen within {@code timeout} (a process of the sandbox still
     *         holds the slave), or if the console was closed first
     */
    public boolean awaitOutput(Duration timeout) {
        return pump.awaitEnd(timeout) && pump.sourceEnded();
    }

    /**
     * Ends the console for a sandbox that exited with {@code exitStatus}: waits briefly for its last
     * output, tells every attached client the status after that output, gives them a moment to take
     * it, and {@link #close closes}. Idempotent; after {@link #close} it does nothing.
     */
    public void finish(int exitStatus) {
        if (closed.get() || !finished.compareAndSet(false, true)) return;
        awaitOutput(DRAIN_WAIT);
        server.finish(exitStatus);
        long deadline = System.nanoTime() + GOODBYE_WAIT.toNanos();
        while (server.clientCount() > 0 && System.nanoTime() < deadline && !closed.get() && sleep(10)) {
            // the clients are reading their last bytes
        }
        close();
    }

    /**
     * Stops the console: clients are disconnected (they see it as lost, with no exit status), the
     * socket is removed, the log and the pty are closed. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        server.stop();
        server.awaitEnd(STOP_WAIT);
        pump.stop();
        pump.awaitEnd(STOP_WAIT);
        removeSocket();
        log.close();
        wake.close();
        pty.close();
    }

    /** How many clients are attached now. */
    int attachedClients() {
        return server.clientCount();
    }

    /** Removes the socket file, unless it is no longer the one this console made. */
    private void removeSocket() {
        try {
            Object key = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            if (Objects.equals(key, socketKey)) Files.deleteIfExists(socket);
        } catch (IOException goneAlready) {
            // nothing to remove
        }
    }

    private static void closeListener(ServerSocketChannel listener, Path socket) {
        try {
            listener.close();
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // it never served anyone
        }
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
