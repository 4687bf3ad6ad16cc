package dev.corral.net;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * The SOCKS5 greeting and CONNECT request (RFC 1928), without authentication, with names resolved
 * by the proxy (so {@code socks5h://} clients need no DNS). Anything else gets the protocol's own
 * error reply.
 */
final class Socks5 {
    static final int VERSION = 5;
    static final byte SUCCEEDED = 0, GENERAL_FAILURE = 1, NOT_ALLOWED = 2, HOST_UNREACHABLE = 4,
            COMMAND_NOT_SUPPORTED = 7, ADDRESS_NOT_SUPPORTED = 8;

    private Socks5() {
    }

    record Request(Authority authority) {
    }

    /** Reads the greeting and the request; null after replying with an error. */
    static Request handshake(InputStream in, OutputStream out) throws IOException {
        if (in.read() != VERSION) return null;
        int methods = read(in);
        boolean noAuth = false;
        for (int i = 0; i < methods; i++) noAuth |= read(in) == 0;
        if (!noAuth) {
            out.write(new byte[]{VERSION, (byte) 0xff});
            return null;
        }
        out.write(new byte[]{VERSION, 0});
        if (read(in) != VERSION) {
            reply(out, GENERAL_FAILURE);
            return null;
        }
        int command = read(in);
        read(in); // reserved
        int type = read(in);
        String host;
        switch (type) {
            case 1 -> host = InetAddress.getByAddress(in.readNBytes(4)).getHostAddress();
            case 4 -> host = InetAddress.getByAddress(exactly(in, 16)).getHostAddress();
            case 3 -> {
                int length = read(in);
                host = new String(exactly(in, length), StandardCharsets.US_ASCII);
            }
            default -> {
                reply(out, ADDRESS_NOT_SUPPORTED);
                return null;
            }
        }
        int port = (read(in) << 8) | read(in);
        if (command != 1) {
            reply(out, COMMAND_NOT_SUPPORTED);
            return null;
        }
        var authority = Authority.of(host, port);
        if (authority.isEmpty()) {
            reply(out, ADDRESS_NOT_SUPPORTED);
            return null;
        }
        return new Request(authority.get());
    }

    static void reply(OutputStream out, byte code) throws IOException {
        out.write(new byte[]{VERSION, code, 0, 1, 0, 0, 0, 0, 0, 0});
        out.flush();
    }

    private static int read(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) throw new EOFException("SOCKS request cut short");
        return b;
    }

    private static byte[] exactly(InputStream in, int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) throw new EOFException("SOCKS request cut short");
        return bytes;
    }
}
