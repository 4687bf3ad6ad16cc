package dev.corral.net;

import java.io.EOFException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a sandbox's program does with the proxy's socket, for tests: a blocking Unix-domain channel
 * whose every wait is bounded. A wait that passes its bound closes the channel and fails the test
 * with an {@link AssertionError}, so a proxy that hangs shows up as a failure, never as a stuck build.
 */
final class ProxyClient implements AutoCloseable {
    private static final ScheduledExecutorService ALARMS = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon(true).name("proxy-client-alarms").factory());
    private static final Duration SEND_BOUND = Duration.ofSeconds(10);
    private final SocketChannel channel;
    private final ByteBuffer inbox = ByteBuffer.allocate(64 * 1024).flip();

    private ProxyClient(SocketChannel channel) {
        this.channel = channel;
    }

    static ProxyClient connect(Path socket) throws IOException {
        return new ProxyClient(SocketChannel.open(UnixDomainSocketAddress.of(socket)));
    }

    /** An HTTP response: status, head text and body (read by its Content-Length). */
    record Response(int status, String head, String body) {
    }

    /** Runs {@code call}; past {@code bound}, closes the channel and fails the test naming {@code what}. */
    <T> T within(Duration bound, String what, IoCall<T> call) throws IOException {
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> alarm = ALARMS.schedule(() -> {
            expired.set(true);
            closeQuietly();
        }, bound.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return call.call();
        } catch (IOException e) {
            if (expired.get()) throw new AssertionError(what + ": not done within " + bound.toMillis() + " ms", e);
            throw e;
        } finally {
            alarm.cancel(false);
        }
    }

    void send(String ascii) throws IOException {
        send(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    void send(byte[] bytes) throws IOException {
        within(SEND_BOUND, "sending " + bytes.length + " bytes", () -> {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) channel.write(buffer);
            return null;
        });
    }

    void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    /** Asks for a CONNECT tunnel and expects it established. */
    void openTunnel(String authority, Duration bound) throws IOException {
        send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
        String head = readHead(bound);
        if (!head.startsWith("HTTP/1.1 200 ")) throw new AssertionError("CONNECT " + authority + " answered: " + head);
    }

    /** The head of the answer, up to and including the empty line. */
    String readHead(Duration bound) throws IOException {
        return within(bound, "reading an answer's head", () -> {
            while (true) {
                int end = headEnd();
                if (end >= 0) {
                    byte[] head = new byte[end];
                    inbox.get(head);
                    return new String(head, StandardCharsets.ISO_8859_1);
                }
                if (inbox.remaining() == inbox.capacity()) throw new IOException("head longer than 64 KiB");
                if (!fill()) throw new EOFException("the proxy closed before the head ended: " + remainingText());
            }
        });
    }

    /** A whole response with a Content-Length body. */
    Response readResponse(Duration bound) throws IOException {
        String head = readHead(bound);
        int status = Integer.parseInt(head.substring(9, 12));
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) length = Integer.parseInt(line.substring(15).strip());
        }
        return new Response(status, head, new String(readExactly(length, bound), StandardCharsets.UTF_8));
    }

    byte[] readExactly(int n, Duration bound) throws IOException {
        return within(bound, "reading " + n + " bytes", () -> {
            byte[] bytes = new byte[n];
            int have = 0;
            while (have < n) {
                if (!inbox.hasRemaining() && !fill()) throw new EOFException("the proxy closed after " + have + " of " + n + " bytes");
                int take = Math.min(inbox.remaining(), n - have);
                inbox.get(bytes, have, take);
                have += take;
            }
            return bytes;
        });
    }

    /** Everything until the proxy ends the connection (an end of stream or a reset). */
    byte[] readToEnd(Duration bound) throws IOException {
        return within(bound, "waiting for the proxy to end the connection", () -> {
            var all = new java.io.ByteArrayOutputStream();
            try {
                while (true) {
                    all.write(inbox.array(), inbox.position(), inbox.remaining());
                    inbox.position(inbox.limit());
                    if (!fill()) return all.toByteArray();
                }
            } catch (IOException e) {
                if (!channel.isOpen()) throw e; // closed by the alarm
                return all.toByteArray();       // reset: ended too
            }
        });
    }

    /** Counts bytes until the end of stream, failing at the first that isn't zero. */
    long countZerosToEnd(Duration bound) throws IOException {
        return within(bound, "receiving zeros", () -> {
            ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
            ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
            long total = inbox.remaining();
            inbox.position(inbox.limit());
            int n;
            while ((n = channel.read(buffer.clear())) >= 0) {
                buffer.flip();
                if (buffer.mismatch(zeros.clear().limit(n)) >= 0) throw new AssertionError("a non-zero byte after " + total + " bytes");
                total += n;
            }
            return total;
        });
    }

    /** The channel itself, for a protocol driven from outside (TLS); nothing may be buffered. */
    SocketChannel channel() {
        if (inbox.hasRemaining()) throw new IllegalStateException(inbox.remaining() + " bytes already read");
        return channel;
    }

    private int headEnd() {
        for (int i = inbox.position(); i + 3 < inbox.limit(); i++) {
            if (inbox.get(i) == '\r' && inbox.get(i + 1) == '\n' && inbox.get(i + 2) == '\r' && inbox.get(i + 3) == '\n') {
                return i + 4 - inbox.position();
            }
        }
        return -1;
    }

    private boolean fill() throws IOException {
        inbox.compact();
        try {
            return channel.read(inbox) >= 0;
        } finally {
            inbox.flip();
        }
    }

    private String remainingText() {
        return new String(inbox.array(), inbox.position(), inbox.remaining(), StandardCharsets.ISO_8859_1);
    }

    private void closeQuietly() {
        try {
            channel.close();
        } catch (IOException e) {
            // the test fails on the expiry anyway
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @FunctionalInterface
    interface IoCall<T> {
        T call() throws IOException;
    }
}
