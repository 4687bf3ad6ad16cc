package dev.corral.it;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/** An HTTP server on the host's loopback (IPv4 and IPv6) that counts its hits: what a sandbox must not reach. */
final class LoopbackServer implements AutoCloseable {
    private final HttpServer v4;
    private final HttpServer v6;
    private final AtomicInteger hits = new AtomicInteger();

    private LoopbackServer(HttpServer v4, HttpServer v6) {
        this.v4 = v4;
        this.v6 = v6;
    }

    static LoopbackServer start() {
        try {
            HttpServer v4 = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
            HttpServer v6 = HttpServer.create(new InetSocketAddress(InetAddress.getByName("::1"), v4.getAddress().getPort()), 50);
            LoopbackServer server = new LoopbackServer(v4, v6);
            for (HttpServer s : new HttpServer[]{v4, v6}) {
                s.createContext("/", exchange -> {
                    server.hits.incrementAndGet();
                    byte[] body = "loopback secret\n".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
                s.start();
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return v4.getAddress().getPort();
    }

    int hits() {
        return hits.get();
    }

    @Override
    public void close() {
        v4.stop(0);
        v6.stop(0);
    }
}
