package dev.corral.net.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Terminates the sandbox side of a TLS connection: the proxy has read the client's first bytes
 * (the ClientHello, see {@link TlsClientHello}) off a blocking {@link SocketChannel}, typically a
 * Unix-domain one, and hands them back here to be replayed into the handshake.
 */
public final class ClientTls {
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
    private static final String HTTP_1_1 = "http/1.1";

    private ClientTls() {
    }

    /**
     * Completes the server side of the handshake with {@code serverContext} (TLS 1.3 or 1.2) and
     * returns the decrypted stream. ALPN: "http/1.1" is chosen when the client offers it; otherwise
     * no protocol is chosen (a client offering only h2 is left to decide). A handshake that takes
     * longer than 30 seconds is aborted.
     *
     * @param client a connected channel in blocking mode; the duplex owns it from here on
     * @param alreadyRead the bytes already read off {@code client}, replayed first
     * @throws IOException when the handshake fails; {@code client} is closed then
     */
    public static Duplex accept(SocketChannel client, byte[] alreadyRead, SSLContext serverContext) throws IOException {
        return accept(client, alreadyRead, serverContext, HANDSHAKE_TIMEOUT);
    }

    static Duplex accept(SocketChannel client, byte[] alreadyRead, SSLContext serverContext, Duration handshakeTimeout)
            throws IOException {
        Objects.requireNonNull(alreadyRead, "alreadyRead");
        ScheduledFuture<?> deadline = Watchdog.closeAfter(client, handshakeTimeout);
        SSLSocket socket = null;
        try {
            socket = (SSLSocket) serverContext.getSocketFactory()
                    .createSocket(new ChannelSocket(client), new ByteArrayInputStream(alreadyRead), true);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            parameters.setNeedClientAuth(false);
            socket.setSSLParameters(parameters);
            socket.setHandshakeApplicationProtocolSelector(ClientTls::chooseProtocol);
            socket.startHandshake();
            return new TlsDuplex(socket, client);
        } catch (IOException | RuntimeException e) {
            if (socket != null) socket.close();
            client.close();
            if (deadline.isDone() && !deadline.isCancelled()) {
                throw new IOException("TLS handshake with the sandbox client timed out after "
                        + handshakeTimeout.toMillis() + " ms", e);
            }
            throw e;
        } finally {
            deadline.cancel(false);
        }
    }

    /** "http/1.1" when offered; "" (no ALPN in the reply) otherwise, rather than failing the handshake. */
    private static String chooseProtocol(SSLSocket socket, List<String> offered) {
        return offered.contains(HTTP_1_1) ? HTTP_1_1 : "";
    }
}
