package dev.corral.net;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * One sandbox's egress proxy: listens on a Unix socket that is mounted into the sandbox, and serves
 * each connection in a virtual thread of its own (hundreds at once are fine).
 */
public final class EgressProxy implements AutoCloseable {
    private final ServerSocketChannel server;
    private final Path socket;
    private final ProxySettings settings;
    private final Deadlines deadlines = new Deadlines();
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
                busy(client);
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

    private static void busy(SocketChannel client) {
        try (client) {
            byte[] body = "corral: too many connections through this sandbox's proxy\n".getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
            client.write(java.nio.ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1)));
            client.write(java.nio.ByteBuffer.wrap(body));
        } catch (IOException e) {
            // gone already
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
