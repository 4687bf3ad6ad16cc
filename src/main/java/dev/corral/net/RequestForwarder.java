package dev.corral.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Passes HTTP/1.1 requests from the sandbox to one upstream connection, one after another (so
 * keep-alive works without reading the responses, which flow back untouched), putting secrets in
 * place of their placeholders in heads and bodies on the way.
 */
final class RequestForwarder {
    /** Bodies up to this size are replaced in one piece, and their Content-Length adjusted. */
    static final int BUFFERED_BODY = 8 << 20;
    /** What all connections together may hold of buffered bodies: many large bodies at once wait their turn. */
    private static final java.util.concurrent.Semaphore BODY_BUDGET = new java.util.concurrent.Semaphore(64 << 20);
    private final InputStream client;
    private final OutputStream upstream;
    private final StreamReplacer replacer;
    private final AtomicLong up;
    private final Optional<String> authority;
    private Optional<Authority> tunnel = Optional.empty();
    private final List<String> notes = new ArrayList<>();

    /**
     * @param authority for plain requests through the proxy, the {@code host:port} of the upstream:
     *                  a later request on the connection for another one ends the connection
     */
    RequestForwarder(InputStream client, OutputStream upstream, StreamReplacer replacer, AtomicLong up, Optional<String> authority) {
        this.client = client;
        this.upstream = upstream;
        this.replacer = replacer;
        this.up = up;
        this.authority = authority;
    }

    /**
     * Inside a tunnel whose TLS the proxy terminated: every request must name the tunnel's host, in
     * one Host field and no absolute URL for another — a front end shared by several sites would
     * otherwise route a request, secret included, to a site the secret is not for.
     */
    RequestForwarder within(Authority value) {
        this.tunnel = Optional.of(value);
        return this;
    }

    /** Forwards {@code first} and the requests after it, until the end, an upgrade or another host. */
    void run(HttpHead first) throws IOException {
        HttpHead head = first;
        while (true) {
            forward(head);
            if (head.isUpgrade()) {
                Relay.copy(client, upstream, up, () -> { });
                return;
            }
            Optional<HttpHead> next = HttpHead.read(client);
            if (next.isEmpty()) return;
            head = next.get();
            if (authority.isPresent() && !authority.get().equals(absoluteAuthority(head.target()).orElse(""))) {
                notes.add("a request for another host on the same connection ended it");
                return;
            }
        }
    }

    List<String> notes() {
        return notes;
    }

    private void forward(HttpHead given) throws IOException {
        if (tunnel.isPresent()) requireTunnelHost(given, tunnel.get());
        HttpHead head = given.withoutProxyFields();
        if (authority.isPresent()) head = toOriginForm(head);
        if (replacer.injects()) head = uncompressed(head);
        long length = head.bodyLength();
        if (length > 0 && length <= BUFFERED_BODY && !replacer.isIdle()) {
            acquire((int) length);
            try {
                byte[] raw = client.readNBytes((int) length);
                if (raw.length < length) throw new HttpHead.BadRequest(400, "the request body ended early");
                byte[] body = replacer.all(raw);
                writeHead(withLength(head, body.length));
                write(body, body.length);
            } finally {
                BODY_BUDGET.release((int) length);
            }
        } else if (length >= 0) {
            if (length > BUFFERED_BODY && !replacer.isIdle()) notes.add("a body of " + length + " bytes was passed unchecked");
            writeHead(head);
            copyExactly(length);
        } else {
            writeHead(head);
            copyChunked();
        }
        upstream.flush();
    }

    private static void acquire(int bytes) throws HttpHead.BadRequest {
        try {
            if (BODY_BUDGET.tryAcquire(bytes, 30, java.util.concurrent.TimeUnit.SECONDS)) return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new HttpHead.BadRequest(503, "too many large request bodies at once");
    }

    private void writeHead(HttpHead head) throws IOException {
        byte[] bytes = replacer.all(head.text().getBytes(StandardCharsets.ISO_8859_1));
        write(bytes, bytes.length);
    }

    private void write(byte[] bytes, int n) throws IOException {
        upstream.write(bytes, 0, n);
        up.addAndGet(n);
    }

    private void copyExactly(long length) throws IOException {
        byte[] buffer = new byte[Relay.BUFFER];
        long left = length;
        while (left > 0) {
            int n = client.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) throw new HttpHead.BadRequest(400, "the request body ended early");
            write(buffer, n);
            left -= n;
        }
    }

    private static void requireTunnelHost(HttpHead head, Authority tunnel) throws HttpHead.BadRequest {
        List<String> hosts = head.values("Host");
        if (hosts.size() != 1) throw new HttpHead.BadRequest(421, "a request in the tunnel to " + tunnel + " needs exactly one Host field");
        Optional<Authority> named = Authority.parse(hosts.getFirst(), tunnel.port());
        if (named.isEmpty() || !named.get().equals(tunnel)) {
            throw new HttpHead.BadRequest(421, "a request in the tunnel to " + tunnel + " names another host (" + hosts.getFirst() + ")");
        }
        String target = head.target();
        if (!target.startsWith("/") && !(target.equals("*") && head.method().equals("OPTIONS"))) {
            throw new HttpHead.BadRequest(421, "a request in the tunnel to " + tunnel + " must use a path, not " + target);
        }
    }

    /** De-chunks the body through the replacer and chunks it again; trailers pass as they are (bounded, like a head). */
    private void copyChunked() throws IOException {
        byte[] buffer = new byte[Relay.BUFFER];
        while (true) {
            long size = chunkSize(line());
            if (size == 0) break;
            long left = size;
            while (left > 0) {
                int n = client.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) throw new HttpHead.BadRequest(400, "the request body ended early");
                writeChunk(replacer.feed(buffer, 0, n));
                left -= n;
            }
            if (!line().isEmpty()) throw new HttpHead.BadRequest(400, "malformed chunk");
        }
        writeChunk(replacer.finish());
        StringBuilder trailer = new StringBuilder("0\r\n");
        int fields = 0;
        for (String field = line(); !field.isEmpty(); field = line()) {
            if (++fields > HttpHead.MAX_FIELDS || trailer.length() + field.length() > HttpHead.MAX_BYTES) {
                throw new HttpHead.BadRequest(431, "the request's trailer is too large");
            }
            HttpHead.checkField(field);
            trailer.append(field).append("\r\n");
        }
        byte[] end = trailer.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        write(end, end.length);
    }

    private void writeChunk(byte[] data) throws IOException {
        if (data.length == 0) return;
        byte[] size = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        write(size, size.length);
        write(data, data.length);
        write(new byte[]{'\r', '\n'}, 2);
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = client.read();
            if (b < 0) throw new HttpHead.BadRequest(400, "the request body ended early");
            if (b == '\n') break;
            if (sb.length() > 8192) throw new HttpHead.BadRequest(400, "chunk line too long");
            sb.append((char) b);
        }
        int end = sb.length();
        if (end > 0 && sb.charAt(end - 1) == '\r') sb.setLength(end - 1);
        return sb.toString();
    }

    private static long chunkSize(String line) throws HttpHead.BadRequest {
        int semi = line.indexOf(';');
        String hex = (semi < 0 ? line : line.substring(0, semi)).strip();
        if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new HttpHead.BadRequest(400, "malformed chunk size");
        }
        try {
            return Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new HttpHead.BadRequest(400, "malformed chunk size");
        }
    }

    /**
     * Asks a secret's host for an uncompressed answer, so the proxy can see whether the answer
     * carries a secret's real value back (see {@link ResponseGuard}).
     */
    private static HttpHead uncompressed(HttpHead head) {
        List<HttpHead.Header> headers = new ArrayList<>();
        headers.add(new HttpHead.Header("Accept-Encoding", "identity"));
        for (HttpHead.Header h : head.headers()) {
            if (!h.name().equalsIgnoreCase("Accept-Encoding") && !h.name().equalsIgnoreCase("TE")) headers.add(h);
        }
        return head.withHeaders(headers);
    }

    private static HttpHead withLength(HttpHead head, int length) {
        List<HttpHead.Header> headers = new ArrayList<>();
        for (HttpHead.Header h : head.headers()) {
            if (!h.name().equalsIgnoreCase("Content-Length")) headers.add(h);
        }
        headers.add(new HttpHead.Header("Content-Length", Integer.toString(length)));
        return head.withHeaders(headers);
    }

    /** {@code http://host:port/path} becomes {@code /path}, with Host naming the upstream. */
    private static HttpHead toOriginForm(HttpHead head) throws HttpHead.BadRequest {
        AbsoluteUrl url = AbsoluteUrl.parse(head.target());
        List<HttpHead.Header> headers = new ArrayList<>();
        headers.add(new HttpHead.Header("Host", url.authority()));
        for (HttpHead.Header h : head.headers()) if (!h.name().equalsIgnoreCase("Host")) headers.add(h);
        return head.withTarget(url.path()).withHeaders(headers);
    }

    /** The {@code host:port} of an absolute http URL, normalised, port 80 when absent. */
    static Optional<String> absoluteAuthority(String target) {
        try {
            return Authority.parse(AbsoluteUrl.parse(target).authority(), 80).map(Authority::toString);
        } catch (HttpHead.BadRequest e) {
            return Optional.empty();
        }
    }

    /**
     * An absolute-form request target, split by hand: a URL library would refuse (or rewrite) the
     * odd host spellings the address check must see as they are.
     */
    record AbsoluteUrl(String authority, String path) {
        static AbsoluteUrl parse(String target) throws HttpHead.BadRequest {
            if (!target.regionMatches(true, 0, "http://", 0, 7)) throw new HttpHead.BadRequest(400, "expected an absolute http:// URL");
            String rest = target.substring(7);
            int end = rest.length();
            for (char c : new char[]{'/', '?', '#'}) {
                int i = rest.indexOf(c);
                if (i >= 0 && i < end) end = i;
            }
            String authority = rest.substring(0, end);
            if (authority.isEmpty() || authority.indexOf('@') >= 0) throw new HttpHead.BadRequest(400, "malformed URL");
            String path = rest.substring(end);
            int hash = path.indexOf('#');
            if (hash >= 0) path = path.substring(0, hash);
            if (path.isEmpty()) path = "/";
            else if (path.charAt(0) == '?') path = "/" + path;
            for (int i = 0; i < path.length(); i++) {
                char c = path.charAt(i);
                if (c <= ' ' || c >= 0x7f) throw new HttpHead.BadRequest(400, "malformed URL");
            }
            return new AbsoluteUrl(authority, path);
        }
    }
}
