package dev.corral.net;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLParameters;

/**
 * A TLS client over any blocking channel (a proxy tunnel through a Unix socket has no {@code Socket}
 * for an {@code SSLSocket}): handshakes, verifying the server's name, sends one line and reads one back.
 */
final class EngineTlsClient {
    private final SocketChannel channel;
    private final SSLEngine engine;
    private final ByteBuffer netIn;
    private final ByteBuffer netOut;
    private final ByteBuffer app;

    private EngineTlsClient(SocketChannel channel, SSLContext context, String host, int port) {
        this.channel = channel;
        this.engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    }

    /** Handshakes over {@code channel}, sends {@code line} and returns the line the server answers. */
    static String exchangeLine(SocketChannel channel, SSLContext context, String host, int port, String line) throws IOException {
        EngineTlsClient client = new EngineTlsClient(channel, context, host, port);
        client.handshake();
        client.wrap(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
        while (indexOfNewline(client.app) < 0) client.unwrap();
        return new String(client.app.array(), 0, indexOfNewline(client.app), StandardCharsets.UTF_8);
    }

    private void handshake() throws IOException {
        engine.beginHandshake();
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> wrap(ByteBuffer.allocate(0));
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> unwrap();
                case NEED_TASK -> {
                    for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) task.run();
                }
                default -> {
                    return;
                }
            }
        }
    }

    private void wrap(ByteBuffer data) throws IOException {
        do {
            netOut.clear();
            SSLEngineResult result = engine.wrap(data, netOut);
            if (result.getStatus() != SSLEngineResult.Status.OK) throw new IOException("wrap: " + result.getStatus());
            netOut.flip();
            while (netOut.hasRemaining()) channel.write(netOut);
        } while (data.hasRemaining());
    }

    private void unwrap() throws IOException {
        while (true) {
            netIn.flip();
            SSLEngineResult result = engine.unwrap(netIn, app);
            netIn.compact();
            switch (result.getStatus()) {
                case OK -> {
                    return;
                }
                case BUFFER_UNDERFLOW -> {
                    if (channel.read(netIn) < 0) throw new EOFException("the tunnel ended during TLS");
                }
                default -> throw new IOException("unwrap: " + result.getStatus());
            }
        }
    }

    private static int indexOfNewline(ByteBuffer buffer) {
        for (int i = 0; i < buffer.position(); i++) if (buffer.get(i) == '\n') return i;
        return -1;
    }
}
