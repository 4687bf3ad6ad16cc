package dev.corral.host.terminal;

import java.net.ProtocolException;
import java.nio.ByteBuffer;

/**
 * The wire protocol between a {@link DetachedConsole} and its {@link ConsoleClient}s, on a Unix
 * socket. Every message, both ways, is one frame:
 *
 * <pre>
 *   type     1 byte
 *   length   4 bytes, big-endian, 0 to {@value #MAX_PAYLOAD}
 *   payload  length bytes
 * </pre>
 *
 * Client to server: {@code DATA} (1), bytes for the sandbox's terminal, as typed; {@code RESIZE} (2),
 * the client's window: rows and columns as big-endian unsigned 16-bit numbers, each at least 1.
 * Server to client: {@code DATA} (1), the sandbox's output, raw; {@code EXIT} (3), the sandbox's
 * exit status as a big-endian 32-bit number, the last frame before the server closes.
 *
 * <p>Parsing is strict, because a console is shared: a frame of a type the receiver does not expect
 * from that side, longer than the limit, or whose {@code RESIZE}/{@code EXIT} payload is not exactly
 * 4 bytes (or names an empty window) ends that one connection and nothing else. There is no version
 * field: both ends are the same Corral, and a supervisor started by an older one still speaking
 * differently shows up as such an error, not as garbage on the user's terminal.
 */
final class ConsoleFrames {
    static final byte DATA = 1;
    static final byte RESIZE = 2;
    static final byte EXIT = 3;
    static final int HEADER = 5;
    /** Larger than either side's reads (16 KiB), small enough for a per-client read buffer. */
    static final int MAX_PAYLOAD = 32 * 1024;

    private ConsoleFrames() {
    }

    /** One decoded frame. */
    sealed interface Frame {
    }

    /** Terminal bytes; {@code bytes} is a view into the receiver's buffer, valid until it reads again. */
    record Data(ByteBuffer bytes) implements Frame {
    }

    record Resize(WindowSize size) implements Frame {
    }

    record Exit(int status) implements Frame {
    }

    /** Which side a frame comes from, and so which types are allowed. */
    enum Sender {
        CLIENT, SERVER
    }

    /** A DATA frame of {@code length} bytes of {@code bytes} from {@code offset}, header included. */
    static byte[] data(byte[] bytes, int offset, int length) {
        if (length > MAX_PAYLOAD) throw new IllegalArgumentException("a frame carries at most " + MAX_PAYLOAD + " bytes, not " + length);
        byte[] frame = new byte[HEADER + length];
        ByteBuffer.wrap(frame).put(DATA).putInt(length).put(bytes, offset, length);
        return frame;
    }

    static byte[] resize(WindowSize size) {
        return ByteBuffer.allocate(HEADER + 4).put(RESIZE).putInt(4)
                .putShort((short) size.rows()).putShort((short) size.cols()).array();
    }

    static byte[] exit(int status) {
        return ByteBuffer.allocate(HEADER + 4).put(EXIT).putInt(4).putInt(status).array();
    }

    /**
     * The next complete frame between {@code in}'s position and limit, which it then passes; null
     * (position unchanged) if the frame is not all there yet.
     *
     * @throws ProtocolException if the bytes are no frame {@code from} may send; the connection is unusable
     */
    static Frame next(ByteBuffer in, Sender from) throws ProtocolException {
        if (in.remaining() < HEADER) return null;
        int start = in.position();
        byte type = in.get(start);
        int length = in.getInt(start + 1);
        if (length < 0 || length > MAX_PAYLOAD) throw new ProtocolException("a console frame of " + Integer.toUnsignedString(length) + " bytes");
        boolean allowed = type == DATA || type == (from == Sender.CLIENT ? RESIZE : EXIT);
        if (!allowed) throw new ProtocolException("a console frame of type " + type + " from the " + from.name().toLowerCase());
        if (in.remaining() < HEADER + length) return null;
        ByteBuffer payload = in.slice(start + HEADER, length);
        in.position(start + HEADER + length);
        return switch (type) {
            case DATA -> new Data(payload);
            case RESIZE -> new Resize(windowSize(payload));
            default -> new Exit(fixed(payload).getInt(0));
        };
    }

    private static WindowSize windowSize(ByteBuffer payload) throws ProtocolException {
        int rows = Short.toUnsignedInt(fixed(payload).getShort(0));
        int cols = Short.toUnsignedInt(payload.getShort(2));
        if (rows == 0 || cols == 0) throw new ProtocolException("a console window of " + rows + "x" + cols);
        return new WindowSize(rows, cols);
    }

    private static ByteBuffer fixed(ByteBuffer payload) throws ProtocolException {
        if (payload.remaining() != 4) throw new ProtocolException("a console frame of " + payload.remaining() + " bytes where 4 belong");
        return payload;
    }
}
