package dev.corral.net.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

/**
 * One TLS handshake between two engines in memory, a server with Corral's leaf and a client that
 * trusts Corral's CA: the JDK loads and links its TLS classes once, off the path of a real request.
 */
final class TlsWarmup {
    private static final int MAX_STEPS = 200;

    private TlsWarmup() {
    }

    static void handshakeInMemory(SSLContext server, X509Certificate ca) throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("corral", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, tmf.getTrustManagers(), null);
        SSLEngine client = clientContext.createSSLEngine("warmup.invalid", 443);
        client.setUseClientMode(true);
        SSLEngine serverEngine = server.createSSLEngine();
        serverEngine.setUseClientMode(false);
        int size = Math.max(client.getSession().getPacketBufferSize(), serverEngine.getSession().getPacketBufferSize());
        ByteBuffer toServer = ByteBuffer.allocate(size * 4);
        ByteBuffer toClient = ByteBuffer.allocate(size * 4);
        ByteBuffer app = ByteBuffer.allocate(client.getSession().getApplicationBufferSize() * 2);
        ByteBuffer empty = ByteBuffer.allocate(0);
        client.beginHandshake();
        serverEngine.beginHandshake();
        for (int step = 0; step < MAX_STEPS && !(done(client) && done(serverEngine)); step++) {
            progress(client, empty, toServer, toClient, app);
            progress(serverEngine, empty, toClient, toServer, app);
        }
    }

    /** One step of an engine: run its tasks, then wrap what it wants to send or unwrap what it got. */
    private static void progress(SSLEngine engine, ByteBuffer empty, ByteBuffer out, ByteBuffer in, ByteBuffer app) throws IOException {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) task.run();
        switch (engine.getHandshakeStatus()) {
            case NEED_WRAP -> engine.wrap(empty, out);
            case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                in.flip();
                SSLEngineResult result = engine.unwrap(in, app);
                in.compact();
                app.clear();
                if (result.getStatus() == SSLEngineResult.Status.CLOSED) throw new IOException("closed during the warm-up");
            }
            default -> {
            }
        }
    }

    private static boolean done(SSLEngine engine) {
        SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
        return status == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING || status == SSLEngineResult.HandshakeStatus.FINISHED;
    }
}
