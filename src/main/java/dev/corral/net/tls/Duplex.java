package dev.corral.net.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A two-way byte stream, such as a TLS connection terminated by {@link ClientTls}. One thread may
 * read while another writes; {@link #close()} may be called from any thread and unblocks both.
 */
public interface Duplex extends AutoCloseable {
    /** Decrypted bytes from the peer; closing it closes the whole duplex. */
    InputStream input();

    /** Bytes to encrypt and send; closing it closes the whole duplex. */
    OutputStream output();

    /** The ALPN protocol agreed in the handshake, or "" when none was (the client offered no ALPN). */
    String applicationProtocol();

    /** Half-close: tells the peer no more bytes follow (TLS close_notify) while reading goes on. */
    void shutdownOutput() throws IOException;

    /** Closes the connection (sending close_notify when it can) and the channel under it. Never blocks long. */
    @Override
    void close();
}
