package dev.corral.net.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a TLS ClientHello off a client's stream to learn the server name (SNI) before deciding
 * where the connection may go, keeping every byte read so it can be replayed. Reads exactly the
 * records that carry the ClientHello, never more; refuses anything malformed (RFC 8446 4.1.2,
 * RFC 6066 3).
 */
public final class TlsClientHello {
    private static final int HANDSHAKE = 22;
    private static final int CLIENT_HELLO = 1;
    private static final int MAX_RECORD = 1 << 14;
    private static final int SERVER_NAME = 0;

    /**
     * What was read.
     *
     * @param consumed every byte read from the stream, to replay to whoever terminates the TLS
     * @param serverName the SNI host_name, lower-cased, when the client sent one
     */
    public record Result(byte[] consumed, Optional<String> serverName) {
        public Result {
            consumed = consumed.clone();
        }

        @Override
        public byte[] consumed() {
            return consumed.clone();
        }
    }

    /** The bytes are not a well-formed TLS ClientHello (or exceed the limit, or end early). */
    public static final class NotTls extends IOException {
        private final transient byte[] consumed;

        NotTls(String message, byte[] consumed) {
            super(message);
            this.consumed = consumed.clone();
        }

        /** The bytes read before giving up. */
        public byte[] consumed() {
            return consumed.clone();
        }
    }

    private TlsClientHello() {
    }

    /**
     * Reads the record(s) carrying the ClientHello, reassembling a handshake message split over
     * several records, reading at most {@code maxBytes} bytes in all.
     *
     * @throws NotTls when the bytes are not a TLS ClientHello, are malformed, end early or pass the limit
     * @throws IOException when the stream fails
     */
    public static Result read(InputStream in, int maxBytes) throws IOException {
        ByteArrayOutputStream consumed = new ByteArrayOutputStream();
        ByteArrayOutputStream handshake = new ByteArrayOutputStream();
        int messageLength = -1;
        while (messageLength < 0 || handshake.size() < messageLength) {
            byte[] type = readFully(in, 1, consumed, maxBytes);
            if (type[0] != HANDSHAKE) throw notTls("not a TLS handshake record", consumed);
            byte[] header = readFully(in, 4, consumed, maxBytes);
            int length = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
            if (header[0] != 3 || (header[1] & 0xff) > 4) throw notTls("not a TLS record version", consumed);
            if (length == 0 || length > MAX_RECORD) throw notTls("invalid TLS record length " + length, consumed);
            handshake.writeBytes(readFully(in, length, consumed, maxBytes));
            if (messageLength < 0 && handshake.size() >= 4) {
                byte[] start = handshake.toByteArray();
                if (start[0] != CLIENT_HELLO) throw notTls("the first handshake message is not a ClientHello", consumed);
                messageLength = 4 + (((start[1] & 0xff) << 16) | ((start[2] & 0xff) << 8) | (start[3] & 0xff));
                if (messageLength > maxBytes) throw notTls("the ClientHello is larger than " + maxBytes + " bytes", consumed);
            }
        }
        if (handshake.size() != messageLength) throw notTls("data follows the ClientHello in its record", consumed);
        byte[] message = handshake.toByteArray();
        try {
            return new Result(consumed.toByteArray(), serverName(new Cursor(message, 4, messageLength)));
        } catch (Malformed e) {
            throw notTls("malformed ClientHello: " + e.getMessage(), consumed);
        }
    }

    private static Optional<String> serverName(Cursor hello) throws Malformed {
        hello.skip(2 + 32);                     // legacy_version, random
        int sessionId = hello.u8();
        if (sessionId > 32) throw new Malformed("session id longer than 32 bytes");
        hello.skip(sessionId);
        int suites = hello.u16();
        if (suites < 2 || suites % 2 != 0) throw new Malformed("invalid cipher suites length");
        hello.skip(suites);
        int compressions = hello.u8();
        if (compressions < 1) throw new Malformed("no compression methods");
        hello.skip(compressions);
        if (hello.atEnd()) return Optional.empty(); // TLS 1.2 and earlier may omit extensions
        Cursor extensions = hello.slice(hello.u16());
        if (!hello.atEnd()) throw new Malformed("bytes after the extensions");
        Set<Integer> seen = new HashSet<>();
        Optional<String> name = Optional.empty();
        while (!extensions.atEnd()) {
            int type = extensions.u16();
            Cursor data = extensions.slice(extensions.u16());
            if (!seen.add(type)) throw new Malformed("extension " + type + " appears twice");
            if (type == SERVER_NAME) name = Optional.of(hostName(data));
        }
        return name;
    }

    /** The single host_name of a server_name extension (RFC 6066 3). */
    private static String hostName(Cursor extension) throws Malformed {
        Cursor list = extension.slice(extension.u16());
        if (!extension.atEnd()) throw new Malformed("bytes after the server name list");
        if (list.atEnd()) throw new Malformed("empty server name list");
        if (list.u8() != 0) throw new Malformed("server name type is not host_name");
        byte[] name = list.slice(list.u16()).rest();
        if (!list.atEnd()) throw new Malformed("more than one server name");
        if (name.length == 0 || name.length > 254) throw new Malformed("server name length " + name.length);
        for (byte b : name) {
            boolean valid = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                    || b == '-' || b == '.' || b == '_';
            if (!valid) throw new Malformed("server name has a character outside letters, digits, '-', '.', '_'");
        }
        return new String(name, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
    }

    private static byte[] readFully(InputStream in, int n, ByteArrayOutputStream consumed, int maxBytes) throws IOException {
        if (consumed.size() + n > maxBytes) throw notTls("no complete ClientHello within " + maxBytes + " bytes", consumed);
        byte[] bytes = in.readNBytes(n);
        consumed.writeBytes(bytes);
        if (bytes.length < n) throw notTls("the stream ended inside a TLS record", consumed);
        return bytes;
    }

    private static NotTls notTls(String message, ByteArrayOutputStream consumed) {
        return new NotTls(message, consumed.toByteArray());
    }

    /** A length field or value that does not fit; caught and turned into {@link NotTls}. */
    private static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** Reads big-endian fields within [position, end) of a byte array, refusing to overrun. */
    private static final class Cursor {
        private final byte[] bytes;
        private final int end;
        private int position;

        Cursor(byte[] bytes, int position, int end) {
            this.bytes = bytes;
            this.position = position;
            this.end = end;
        }

        int u8() throws Malformed {
            need(1);
            return bytes[position++] & 0xff;
        }

        int u16() throws Malformed {
            return (u8() << 8) | u8();
        }

        void skip(int n) throws Malformed {
            need(n);
            position += n;
        }

        Cursor slice(int n) throws Malformed {
            need(n);
            Cursor slice = new Cursor(bytes, position, position + n);
            position += n;
            return slice;
        }

        byte[] rest() {
            byte[] rest = Arrays.copyOfRange(bytes, position, end);
            position = end;
            return rest;
        }

        boolean atEnd() {
            return position == end;
        }

        private void need(int n) throws Malformed {
            if (n < 0 || end - position < n) throw new Malformed("a length field overruns its container");
        }
    }
}
