package dev.corral.host.terminal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

/** A client that speaks the console protocol by hand, or not at all: stuck, or sending garbage. */
final class RawClient implements AutoCloseable {
    private final SocketChannel channel;

    private RawClient(SocketChannel channel) {
        this.channel = channel;
    }

    static RawClient connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        return new RawClient(channel);
    }

    void send(byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) channel.write(buffer);
    }

    /**
     * Reads (and discards) until the server closes the connection; false if it did not within {@code timeout}.
     *
     * @return the number of bytes read before the end, or -1 on timeout
     */
    long awaitClosedByServer(Duration timeout) throws IOException, InterruptedException {
        channel.configureBlocking(false);
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long total = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            buffer.clear();
            int n;
            try {
                n = channel.read(buffer);
            } catch (IOException reset) {
                return total;
            }
            if (n < 0) return total;
            if (n == 0) Thread.sleep(10);
            total += Math.max(0, n);
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
