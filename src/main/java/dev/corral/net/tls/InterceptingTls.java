package dev.corral.net.tls;


import dev.corral.net.TlsInterception;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.function.Supplier;

/**
 * TLS termination for the proxy: the sandbox side gets a certificate from Corral's CA, the upstream
 * side is verified against the system's trust and the user's extra CAs (built on first use: reading
 * the trust stores costs tens of milliseconds, which a sandbox that never talks to a secret's host
 * shouldn't pay).
 */
public final class InterceptingTls implements TlsInterception {
    private final CertificateAuthority ca;
    private final Supplier<SSLContext> upstream;

    public InterceptingTls(CertificateAuthority ca, Supplier<SSLContext> upstream) {
        this.ca = ca;
        this.upstream = upstream;
    }

    @Override
    public Stream acceptClient(SocketChannel client, byte[] alreadyRead, String host) throws IOException {
        Duplex duplex = ClientTls.accept(client, alreadyRead, ca.serverContext(host));
        return new Stream() {
            @Override
            public InputStream input() {
                return duplex.input();
            }

            @Override
            public OutputStream output() {
                return duplex.output();
            }

            @Override
            public void readTimeout(int millis) {
                // the sandbox's side is never read with a timeout
            }

            @Override
            public void shutdownOutput() {
                try {
                    duplex.shutdownOutput();
                } catch (IOException e) {
                    // closing anyway
                }
            }

            @Override
            public void close() {
                duplex.close();
            }
        };
    }

    @Override
    public Stream connectUpstream(Socket connected, String host, int port) throws IOException {
        SSLSocket socket = UpstreamTls.connect(upstream.get(), connected, host, port);
        return new Stream() {
            @Override
            public InputStream input() throws IOException {
                return socket.getInputStream();
            }

            @Override
            public OutputStream output() throws IOException {
                return socket.getOutputStream();
            }

            @Override
            public void readTimeout(int millis) throws IOException {
                socket.setSoTimeout(millis);
            }

            @Override
            public void shutdownOutput() {
                try {
                    socket.shutdownOutput();
                } catch (IOException | UnsupportedOperationException e) {
                    // closing anyway
                }
            }

            @Override
            public void close() {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        };
    }
}
