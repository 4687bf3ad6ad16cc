package dev.corral.net;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A TCP (or TLS) server on a loopback address that serves each connection in a virtual thread, behind the proxy in tests. */
final class LoopbackTcpServer implements AutoCloseable {
    /** What the server does with one connection; the connection is closed afterwards. */
    interface Handler {
        void serve(Socket connection) throws IOException;
    }

    private final ServerSocket server;
    private final Handler handler;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    LoopbackTcpServer(ServerSocket server, Handler handler) {
        this.server = server;
        this.handler = handler;
        Thread.ofPlatform().daemon(true).name("loopback-server-" + server.getLocalPort()).start(this::acceptLoop);
    }

    /** Sends back whatever it receives, and closes at the end of the stream. */
    static LoopbackTcpServer echo() throws IOException {
        return new LoopbackTcpServer(new ServerSocket(0, 1024, InetAddress.getByName("127.0.0.1")),
                c -> c.getInputStream().transferTo(c.getOutputStream()));
    }

    /** Reads a count (8 bytes, big-endian), sends that many zero bytes and closes. */
    static LoopbackTcpServer zeros() throws IOException {
        return new LoopbackTcpServer(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")), c -> {
            long left = new DataInputStream(c.getInputStream()).readLong();
            byte[] chunk = new byte[1 << 20];
            OutputStream out = c.getOutputStream();
            while (left > 0) {
                int n = (int) Math.min(chunk.length, left);
                out.write(chunk, 0, n);
                left -= n;
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket connection;
            try {
                connection = server.accept();
            } catch (IOException e) {
                continue;
            }
            open.add(connection);
            Thread.ofVirtual().start(() -> {
                try (connection) {
                    handler.serve(connection);
                } catch (IOException e) {
                    // the test on the other side reports what went wrong
                } finally {
                    open.remove(connection);
                }
            });
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) s.close();
    }
}
