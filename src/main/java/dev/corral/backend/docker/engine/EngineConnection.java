package dev.corral.backend.docker.engine;

import dev.corral.support.ChannelStreams;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;

/**
 * One HTTP/1.1 exchange with the engine on a connection of its own (a Unix socket connects in
 * microseconds, so nothing is pooled). An upgraded exchange keeps the connection as a raw
 * two-way stream: what {@code attach} and {@code exec} speak.
 */
final class EngineConnection implements AutoCloseable {
    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;

    private EngineConnection(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedInputStream(ChannelStreams.input(channel), 65536);
        this.out = ChannelStreams.output(channel);
    }

    static EngineConnection open(EngineAddress address) {
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(address.socket()));
            return new EngineConnection(channel);
        } catch (IOException e) {
            closeQuietly(channel);
            throw unreachable(address, e);
        }
    }

    /**
     * Sends a request; {@code body} (with {@code length} bytes, or -1 for none) is streamed as is.
     * With {@code upgrade} the engine is asked to turn the connection into a raw stream.
     */
    HttpResponse send(String method, String target, String contentType, InputStream body, long length, boolean upgrade)
            throws IOException {
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: docker\r\nUser-Agent: corral\r\n");
        if (upgrade) head.append("Connection: Upgrade\r\nUpgrade: tcp\r\n");
        if (length >= 0) head.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(length).append("\r\n");
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (length > 0) body.transferTo(out);
        out.flush();
        return HttpResponse.read(in, upgrade);
    }

    InputStream input() {
        return in;
    }

    OutputStream output() {
        return out;
    }

    /** Ends what we send (the process's stdin sees end-of-file) and keeps reading. */
    void closeWrite() {
        try {
            channel.shutdownOutput();
        } catch (IOException ignored) {
            // closed already
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    static EngineException unreachable(EngineAddress address, IOException e) {
        String reason = String.valueOf(e.getMessage());
        if (e instanceof AccessDeniedException || reason.contains("Permission denied")) {
            return new EngineException("permission denied on the Docker engine's socket " + address.socket(),
                    "add yourself to its group (sudo usermod -aG docker $USER, then log in again), or set DOCKER_HOST to an engine "
                            + "you may use (rootless Docker or Podman: unix://$XDG_RUNTIME_DIR/podman/podman.sock)", 0, e);
        }
        if (e instanceof java.net.SocketException && !(reason.contains("No such file") || reason.contains("Connection refused"))) {
            return new EngineException("cannot reach the Docker engine at " + address + ": " + reason,
                    "check that the engine runs (docker version), or set DOCKER_HOST to its socket", 0, e);
        }
        return new EngineException("the Docker engine is not running (nothing answers at " + address + ")",
                "start it (sudo systemctl start docker, or open Docker Desktop; for Podman: systemctl --user start podman.socket "
                        + "and DOCKER_HOST=unix://$XDG_RUNTIME_DIR/podman/podman.sock), or use --backend native", 0, e);
    }
}
