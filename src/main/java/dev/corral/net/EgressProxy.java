package dev.corral.net;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * One sandbox's egress proxy: listens on a Unix socket that is mounted into the sandbox, and serves
 * each connection in a virtual thread of its own (hundreds at once are fine).
 */
public final class EgressProxy implements AutoCloseable {
    private static final Duration BUSY_LINGER = Duration.ofSeconds(1);
    private final ServerSocketChannel server;
    private final Path socket;
    private final ProxySettings settings;
    private final Deadlines deadlines = new Deadlines();
    /** "Busy" answers that wait for the client to finish sending: at most 64 at once, each up to BUSY_LINGER. */
    private final Semaphore busyAnswers = new Semaphore(64);
    private final Semaphore slots;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    private EgressProxy(ServerSocketChannel server, Path socket, ProxySettings settings) {
        this.server = server;
        this.socket = socket;
        this.settings = settings;
        this.slots = new Semaphore(settings.maxConnections());
        this.acceptor = Thread.ofPlatform().daemon(true).name("corral-proxy").unstarted(this::acceptLoop);
    }

    /** Binds the socket (replacing a stale one) and starts serving. */
    public static EgressProxy start(Path socket, ProxySettings settings) throws IOException {
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket), 512);
        EgressProxy proxy = new EgressProxy(server, socket, settings);
        proxy.acceptor.start();
        return proxy;
    }

    public Path socket() {
        return socket;
    }

    /** How many connections are being served now, each holding one of the settings' slots. */
    int openConnections() {
        return settings.maxConnections() - slots.availablePermits();
    }

    private void acceptLoop() {
        while (true) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!server.isOpen()) return;
                continue;
            }
            if (!slots.tryAcquire()) {
                if (busyAnswers.tryAcquire()) {
                    Thread.ofVirtual().name("corral-proxy-busy").start(() -> {
                        try {
                            busy(client, true);
                        } finally {
                            busyAnswers.release();
                        }
                    });
                } else {
                    busy(client, false);
                }
                continue;
            }
            open.add(client);
            Thread.ofVirtual().name("corral-proxy-conn").start(() -> {
                try {
                    new ProxyConnection(client, settings, deadlines).run();
                } finally {
                    open.remove(client);
                    slots.release();
                }
            });
        }
    }

    /**
     * Answers "busy". When {@code linger}, reads on for a moment before closing, so a client that
     * is still sending its request gets the answer instead of a broken pipe.
     */
    private void busy(SocketChannel client, boolean linger) {
        try (client) {
            byte[] body = "corral: too many connections through this sandbox's proxy\n".getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
            client.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1)));
            client.write(ByteBuffer.wrap(body));
            if (!linger) return;
            client.shutdownOutput();
            Deadlines.Handle limit = deadlines.start(BUSY_LINGER, () -> closeQuietly(client));
            try {
                ByteBuffer sink = ByteBuffer.allocate(8 * 1024);
                for (long total = 0; total < 64 * 1024; ) {
                    int n = client.read(sink.clear());
                    if (n < 0) break;
                    total += n;
                }
            } finally {
                limit.close();
            }
        } catch (IOException | RuntimeException e) {
            // gone already, or the proxy is closing
        }
    }

    private static void closeQuietly(SocketChannel client) {
        try {
            client.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Stops accepting, ends every open connection, and removes the socket. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (SocketChannel c : open) {
            try {
                c.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        deadlines.close();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // the runtime folder goes with the sandbox
        }
    }
}
