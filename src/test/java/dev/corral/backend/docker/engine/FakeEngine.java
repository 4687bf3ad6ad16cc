package dev.corral.backend.docker.engine;

import dev.corral.support.ChannelStreams;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny stand-in for the engine: an HTTP/1.1 server on a Unix socket, one virtual thread per
 * connection, answering each request with whatever the test's handler writes.
 */
final class FakeEngine implements AutoCloseable {
    record Request(String method, String target, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Writes the answer to {@code out}; may go on reading {@code in} (an upgraded connection). */
    interface Handler {
        void answer(Request request, InputStream in, OutputStream out) throws IOException;
    }

    private final ServerSocketChannel server;
    private final Path socket;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<SocketChannel> connections = new CopyOnWriteArrayList<>();

    private FakeEngine(ServerSocketChannel server, Path socket) {
        this.server = server;
        this.socket = socket;
    }

    static FakeEngine start(Path socket, Handler handler) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        FakeEngine engine = new FakeEngine(server, socket);
        Thread.ofVirtual().name("fake-engine").start(() -> engine.acceptAll(handler));
        return engine;
    }

    EngineAddress address() {
        return new EngineAddress(socket, true);
    }

    /** Every request so far, in the order they came. */
    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void acceptAll(Handler handler) {
        while (server.isOpen()) {
            try {
                SocketChannel channel = server.accept();
                connections.add(channel);
                Thread.ofVirtual().start(() -> serve(channel, handler));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(SocketChannel channel, Handler handler) {
        try (channel) {
            InputStream in = new BufferedInputStream(ChannelStreams.input(channel));
            OutputStream out = ChannelStreams.output(channel);
            Request request = readRequest(in);
            requests.add(request);
            handler.answer(request, in, out);
            out.flush();
        } catch (IOException | RuntimeException e) {
            // the client went away, or the test closed the engine
        }
    }

    private static Request readRequest(InputStream in) throws IOException {
        String[] requestLine = line(in).split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        byte[] body = headers.containsKey("content-length") ? in.readNBytes(Integer.parseInt(headers.get("content-length"))) : new byte[0];
        return new Request(requestLine[0], requestLine[1], headers, body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) throw new IOException("closed");
            if (b != '\r') out.write(b);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    // ---- answers

    static void json(OutputStream out, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " " + reason(status) + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\nApi-Version: 1.45\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
    }

    /** The answer in chunks, one per string, as the engine streams progress. */
    static void chunked(OutputStream out, int status, List<String> chunks) throws IOException {
        out.write(("HTTP/1.1 " + status + " " + reason(status) + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        for (String chunk : chunks) {
            byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
            out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    static void noContent(OutputStream out) throws IOException {
        out.write("HTTP/1.1 204 No Content\r\nApi-Version: 1.45\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    static void upgraded(OutputStream out) throws IOException {
        out.write("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            default -> "Status";
        };
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (SocketChannel channel : connections) channel.close();
    }
}
