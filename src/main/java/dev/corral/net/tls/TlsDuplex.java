package dev.corral.net.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import javax.net.ssl.SSLSocket;

/** A {@link Duplex} over an {@link SSLSocket} layered on a {@link SocketChannel}. */
final class TlsDuplex implements Duplex {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private final SSLSocket socket;
    private final SocketChannel channel;
    private final InputStream input;
    private final OutputStream output;

    TlsDuplex(SSLSocket socket, SocketChannel channel) throws IOException {
        this.socket = socket;
        this.channel = channel;
        this.input = socket.getInputStream();
        this.output = socket.getOutputStream();
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public String applicationProtocol() {
        String protocol = socket.getApplicationProtocol();
        return protocol == null ? "" : protocol;
    }

    @Override
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() {
        ScheduledFuture<?> deadline = Watchdog.closeAfter(channel, CLOSE_TIMEOUT);
        try {
            socket.close();
        } catch (IOException ignored) {
            // the channel is closed below all the same
        } finally {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
            deadline.cancel(false);
        }
    }
}
