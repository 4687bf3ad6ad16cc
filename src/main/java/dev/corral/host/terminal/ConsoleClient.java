package dev.corral.host.terminal;

import dev.corral.host.HostException;
import dev.corral.host.Libc;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code corral attach}: connects the user's terminal to a sandbox's {@link DetachedConsole} until
 * the user types the detach keys, the sandbox exits, or its supervisor goes away.
 *
 * <p>If standard input is a terminal it goes into raw mode, as with {@link TerminalRelay}, and its
 * settings are restored however the session ends, by a shutdown hook if the JVM is ended by a
 * signal first; the window size is sent on attaching and on every SIGWINCH. If it is not (a
 * script), its bytes are sent as they are and its end stops the sending only: the output is shown
 * until the sandbox exits or the user interrupts.
 */
public final class ConsoleClient {
    private static final int STDIN = 0;
    private static final int STDOUT = 1;
    private static final Duration STOP_WAIT = Duration.ofMillis(500);

    private final SocketChannel channel;
    private final int in;
    private final OutputStream out;
    private final Supplier<Optional<WindowSize>> windowSize;
    private final Optional<Termios> userSettings;
    private final Thread restoreHook;
    private final AtomicBoolean restored = new AtomicBoolean();

    /** How an attached session ended. */
    public sealed interface Outcome {
        Outcome DETACHED = new Detached();
        Outcome LOST = new Lost();

        /** The user typed the detach keys; the sandbox runs on. */
        record Detached() implements Outcome {
        }

        /** The sandbox exited with {@code status}, after all its output was shown. */
        record Exited(int status) implements Outcome {
        }

        /** The supervisor closed the connection without an exit status: it died, or this client fell too far behind. */
        record Lost() implements Outcome {
        }
    }

    private ConsoleClient(SocketChannel channel, int in, OutputStream out, Supplier<Optional<WindowSize>> windowSize) {
        this.channel = channel;
        this.in = in;
        this.out = out;
        this.windowSize = windowSize;
        this.userSettings = Termios.of(in);
        this.restoreHook = Thread.ofPlatform().name("corral-attach-restore").unstarted(this::restoreUserTerminal);
    }

    /**
     * Attaches this process's standard input and output to the console at {@code socket} and
     * returns when the session ends.
     *
     * @throws HostException if there is no console at {@code socket} or it does not answer, or the
     *                       output cannot be written
     */
    public static Outcome attach(Path socket, DetachKeys keys) {
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        return attach(socket, keys, STDIN, stdout, () -> Terminals.windowSize(STDIN).or(() -> Terminals.windowSize(STDOUT)));
    }

    /**
     * Attaches descriptor {@code in} and {@code out}; the window size, if any, comes from
     * {@code windowSize}. {@code in} must stay open until this returns: it is read until then.
     */
    static Outcome attach(Path socket, DetachKeys keys, int in, OutputStream out, Supplier<Optional<WindowSize>> windowSize) {
        SocketChannel channel = ConsoleSocket.connect(socket);
        ConsoleClient client = new ConsoleClient(channel, in, out, windowSize);
        return client.run(keys, socket);
    }

    private Outcome run(DetachKeys keys, Path socket) {
        int stopFd = Libc.eventfd(0, Libc.EFD_CLOEXEC);
        if (stopFd < 0) {
            closeChannel();
            throw Libc.failure("cannot create an eventfd for attaching", null);
        }
        SharedFd stop = new SharedFd(stopFd);
        ClientInput input = null;
        WindowChangeSignal resizes = null;
        try {
            if (userSettings.isPresent()) {
                Runtime.getRuntime().addShutdownHook(restoreHook);
                userSettings.get().raw().applyTo(in);
            }
            sendWindowSize();
            resizes = WindowChangeSignal.onEach(this::sendWindowSize);
            stop.retain();
            input = new ClientInput(in, stop, channel, keys);
            Thread.ofPlatform().name("corral-attach-input").daemon().start(input);
            return showOutput(input, socket);
        } finally {
            if (resizes != null) resizes.close();
            signal(stop);
            closeChannel();
            if (input != null) input.awaitEnd(STOP_WAIT);
            restoreUserTerminal();
            removeRestoreHook();
            stop.close();
        }
    }

    /** Copies the sandbox's output to {@code out} until the exit frame or the end of the connection. */
    private Outcome showOutput(ClientInput input, Path socket) {
        ByteBuffer buffer = ByteBuffer.allocate(ConsoleFrames.HEADER + ConsoleFrames.MAX_PAYLOAD);
        while (true) {
            try {
                if (channel.read(buffer) < 0) return input.detached() ? Outcome.DETACHED : Outcome.LOST;
            } catch (IOException e) {
                return input.detached() ? Outcome.DETACHED : Outcome.LOST;
            }
            buffer.flip();
            try {
                ConsoleFrames.Frame frame;
                while ((frame = ConsoleFrames.next(buffer, ConsoleFrames.Sender.SERVER)) != null) {
                    switch (frame) {
                        case ConsoleFrames.Data data -> print(data.bytes());
                        case ConsoleFrames.Exit exit -> {
                            out.flush();
                            return new Outcome.Exited(exit.status());
                        }
                        case ConsoleFrames.Resize _ -> throw new ProtocolException("a resize frame from the server");
                    }
                }
                out.flush();
            } catch (ProtocolException e) {
                throw new HostException("the console at " + socket + " sent " + e.getMessage(),
                        "the sandbox was started by another version of Corral: stop it and run it again");
            } catch (IOException e) {
                throw new HostException("cannot write the sandbox's output: " + e.getMessage(),
                        "the sandbox runs on; corral attach again, or corral logs to read its output");
            }
            buffer.compact();
        }
    }

    private void print(ByteBuffer bytes) throws IOException {
        out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
    }

    private void sendWindowSize() {
        Optional<WindowSize> size = windowSize.get();
        if (size.isEmpty()) return;
        try {
            write(channel, ConsoleFrames.resize(size.get()));
        } catch (IOException consoleGone) {
            // the output side sees it and ends the session
        }
    }

    /** Writes a whole frame; frames from the keyboard and from SIGWINCH never interleave. */
    static void write(SocketChannel channel, byte[] frame) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(frame);
        synchronized (channel) {
            while (buffer.hasRemaining()) channel.write(buffer);
        }
    }

    private void restoreUserTerminal() {
        if (userSettings.isPresent() && restored.compareAndSet(false, true)) {
            try {
                userSettings.get().applyTo(in);
            } catch (HostException terminalGone) {
                // hung up: there is nothing left to restore
            }
        }
    }

    private void removeRestoreHook() {
        if (userSettings.isEmpty()) return;
        try {
            Runtime.getRuntime().removeShutdownHook(restoreHook);
        } catch (IllegalStateException | IllegalArgumentException shuttingDownOrNeverAdded) {
            // the hook runs (or ran) anyway; restoring twice is harmless and guarded
        }
    }

    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the session is over either way
        }
    }

    private static void signal(SharedFd stop) {
        try (Arena arena = Arena.ofConfined()) {
            Libc.write(stop.fd(), arena.allocateFrom(JAVA_LONG, 1L), JAVA_LONG.byteSize());
        }
    }
}
