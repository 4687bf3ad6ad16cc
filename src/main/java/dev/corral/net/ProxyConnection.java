package dev.corral.net;

import dev.corral.net.tls.TlsClientHello;
import dev.corral.support.ChannelStreams;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One connection from the sandbox: works out what it asks for (an HTTP request, a CONNECT tunnel
 * or a SOCKS5 connection), has the filters decide, and then carries the bytes — checking the TLS
 * server name on port 443 and putting secrets into requests to their hosts. Every outcome is
 * recorded; every malformed request gets an error answer, never a hang.
 */
final class ProxyConnection implements Runnable {
    private static final int MAX_HELLO = 64 * 1024;
    /**
     * Ports where the client speaks TLS first, so its hello can be checked: HTTPS and its usual
     * alternatives (CDNs serve several), and mail and LDAP over TLS.
     */
    static final java.util.Set<Integer> TLS_PORTS = java.util.Set.of(443, 8443, 4443, 9443, 2053, 2083, 2087, 2096, 465, 993, 995, 636, 853);
    private final SocketChannel client;
    private final ProxySettings settings;
    private final Deadlines deadlines;
    private final InputStream in;
    private final OutputStream out;
    private final AtomicLong up = new AtomicLong();
    private final AtomicLong down = new AtomicLong();
    private final List<String> warnings = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<String> injected = new ArrayList<>();

    ProxyConnection(SocketChannel client, ProxySettings settings, Deadlines deadlines) {
        this.client = client;
        this.settings = settings;
        this.deadlines = deadlines;
        this.in = new BufferedInputStream(ChannelStreams.input(client), 16 * 1024);
        this.out = ChannelStreams.output(client);
    }

    @Override
    public void run() {
        try (client; Deadlines.Handle handshake = deadlines.start(settings.handshakeTimeout(), this::closeQuietly)) {
            try {
                dispatch(handshake);
            } catch (HttpHead.BadRequest e) {
                respond(e.status, e.getMessage());
            }
        } catch (IOException | RuntimeException e) {
            // the sandbox side went away, or the deadline closed it: nothing left to answer
        }
    }

    private void dispatch(Deadlines.Handle handshake) throws IOException {
        in.mark(1);
        int first = in.read();
        in.reset();
        if (first < 0) return;
        if (first == Socks5.VERSION) {
            Socks5.Request socks = Socks5.handshake(in, out);
            if (socks == null) return;
            serve(EgressRequest.of("socks", socks.authority().host(), socks.authority().port(), Optional.empty()), socks, handshake);
        } else if (first == 4) {
            out.write(new byte[]{0, 0x5b, 0, 0, 0, 0, 0, 0}); // SOCKS4 "rejected": only SOCKS5 is spoken here
        } else {
            http(handshake);
        }
    }

    private void http(Deadlines.Handle handshake) throws IOException {
        Optional<HttpHead> read = HttpHead.read(in);
        if (read.isEmpty()) return;
        HttpHead head = read.get();
        if (head.method().equals("CONNECT")) {
            Authority target = Authority.parse(head.target(), -1)
                    .orElseThrow(() -> new HttpHead.BadRequest(400, "CONNECT needs HOST:PORT"));
            serve(EgressRequest.of("connect", target.host(), target.port(), Optional.empty()), null, handshake);
        } else if (head.target().regionMatches(true, 0, "http://", 0, 7)) {
            String authority = RequestForwarder.absoluteAuthority(head.target())
                    .orElseThrow(() -> new HttpHead.BadRequest(400, "malformed URL"));
            Authority target = Authority.parse(authority, -1).orElseThrow(() -> new HttpHead.BadRequest(400, "malformed URL"));
            head.bodyLength(); // a request whose framing is ambiguous goes nowhere
            EgressRequest request = EgressRequest.of("http", target.host(), target.port(), Optional.of(head.method()));
            Verdict verdict = decide(request);
            if (!verdict.allowed()) return;
            try (SocketChannel upstream = connect(request, verdict)) {
                if (upstream == null) return;
                handshake.close();
                StreamReplacer replacer = replacer(target.host());
                RequestForwarder forwarder = new RequestForwarder(in, ChannelStreams.output(upstream), replacer, up, Optional.of(authority));
                List<SecretRoute> mine = routesFor(target.host());
                carry(() -> forwarder.run(head), mine.isEmpty()
                                ? () -> Relay.channels(upstream, client, down, this::shutdownClientOutput)
                                : () -> guardedCopy(upstream.socket().getInputStream(), out, mine, upstream.socket()::setSoTimeout,
                                this::shutdownClientOutput),
                        upstream::shutdownOutput, upstream::close);
                warnings.addAll(forwarder.notes());
                note(replacer);
                finish(request, verdict);
            }
        } else {
            throw new HttpHead.BadRequest(400, "this is Corral's egress proxy: send absolute http:// URLs, CONNECT or SOCKS5");
        }
    }

    /** A tunnel (CONNECT or SOCKS): decide, connect, confirm, then check and carry. */
    private void serve(EgressRequest request, Socks5.Request socks, Deadlines.Handle handshake) throws IOException {
        Verdict verdict = decide(request);
        if (!verdict.allowed()) {
            if (socks != null) Socks5.reply(out, Socks5.NOT_ALLOWED);
            return;
        }
        try (SocketChannel upstream = connect(request, verdict)) {
            if (upstream == null) {
                if (socks != null) Socks5.reply(out, Socks5.HOST_UNREACHABLE);
                return;
            }
            if (socks != null) Socks5.reply(out, Socks5.SUCCEEDED);
            else write("HTTP/1.1 200 Connection established\r\n\r\n");
            byte[] prefix = new byte[0];
            // a secret's host speaks TLS on whatever port it chose (a gateway on :4000, say): intercepted there too
            boolean secretHost = settings.tls().isPresent() && !routesFor(request.host()).isEmpty();
            if (TLS_PORTS.contains(request.port()) || secretHost && startsWithTlsRecord()) {
                TlsClientHello.Result hello;
                try {
                    hello = TlsClientHello.read(in, MAX_HELLO);
                } catch (TlsClientHello.NotTls e) {
                    settings.sink().record(Decision.denied(request, Verdict.deny("tls",
                            "port " + request.port() + " without a TLS hello (" + e.getMessage() + ")")));
                    return;
                } catch (IOException e) {
                    // the deadline closed a client that never said hello (or it went away): recorded all the same
                    settings.sink().record(Decision.denied(request, Verdict.deny("tls", "port " + request.port() + " without a TLS hello ("
                            + (client.isOpen() ? String.valueOf(e.getMessage()) : "none within the handshake timeout") + ")")));
                    return;
                }
                Optional<String> mismatch = sniMismatch(request.host(), hello.serverName());
                if (mismatch.isPresent()) {
                    settings.sink().record(Decision.denied(request, Verdict.deny("sni", mismatch.get())));
                    return;
                }
                prefix = concat(hello.consumed(), in.readNBytes(in.available()));
                if (settings.tls().isPresent() && !routesFor(request.host()).isEmpty()) {
                    handshake.close();
                    intercept(request, verdict, upstream.socket(), prefix);
                    return;
                }
            }
            handshake.close();
            byte[] first = concat(prefix, in.readNBytes(in.available())); // what the head's reader holds, then the channel itself
            carry(() -> {
                Relay.writeFully(upstream, first);
                up.addAndGet(first.length);
                Relay.channels(client, upstream, up, () -> { });
            }, () -> Relay.channels(upstream, client, down, this::shutdownClientOutput), upstream::shutdownOutput, upstream::close);
            finish(request, verdict);
        }
    }

    /** Whether the sandbox's first byte in the tunnel opens a TLS handshake record; the byte stays unread. */
    private boolean startsWithTlsRecord() throws IOException {
        in.mark(1);
        int first = in.read();
        in.reset();
        return first == 0x16;
    }

    /** TLS on both sides, so the secrets' placeholders can be replaced in the requests. */
    private void intercept(EgressRequest request, Verdict verdict, Socket upstream, byte[] prefix) throws IOException {
        TlsInterception tls = settings.tls().orElseThrow();
        TlsInterception.Stream server;
        try {
            server = tls.connectUpstream(upstream, request.host(), request.port());
        } catch (IOException e) {
            fail(request, verdict, "upstream TLS failed: " + e.getMessage());
            return;
        }
        try (server; TlsInterception.Stream sandbox = tls.acceptClient(client, prefix, request.host())) {
            InputStream sandboxIn = new BufferedInputStream(sandbox.input(), 16 * 1024);
            StreamReplacer replacer = replacer(request.host());
            RequestForwarder forwarder = new RequestForwarder(sandboxIn, server.output(), replacer, up, Optional.empty())
                    .within(new Authority(request.host(), request.port()));
            carry(() -> {
                Optional<HttpHead> head = HttpHead.read(sandboxIn);
                if (head.isPresent()) forwarder.run(head.get());
            }, () -> guardedCopy(server.input(), sandbox.output(), routesFor(request.host()), server::readTimeout,
                    sandbox::shutdownOutput), server::shutdownOutput, server::close);
            warnings.addAll(forwarder.notes());
            note(replacer);
            finish(request, verdict);
        }
    }

    /** The answer of a secret's host, cut off if it carries a secret's real value back. */
    private void guardedCopy(InputStream in, OutputStream out, List<SecretRoute> secrets, ResponseGuard.ReadTimeout timeout,
                             Runnable endOfStream) throws IOException {
        List<String> found = new ArrayList<>();
        try {
            ResponseGuard.copy(in, out, down, ResponseGuard.watching(secrets), found, timeout, endOfStream);
        } finally {
            for (String name : found) {
                warnings.add("the answer carried the real value of secret '" + name + "'; the connection was cut");
            }
        }
    }

    /** Runs the sandbox-to-upstream side here and upstream-to-sandbox in a virtual thread, until both end. */
    private void carry(IoTask toUpstream, IoTask toSandbox, IoTask endUpstreamOutput, IoTask closeUpstream) {
        Thread back = Thread.ofVirtual().name("corral-proxy-down").start(() -> {
            try {
                toSandbox.run();
            } catch (IOException e) {
                closeQuietly();
                quietly(closeUpstream);
            }
        });
        try {
            toUpstream.run();
            quietly(endUpstreamOutput);
        } catch (HttpHead.BadRequest e) {
            warnings.add("malformed request: " + e.getMessage());
            quietly(closeUpstream);
        } catch (IOException e) {
            quietly(closeUpstream);
        }
        try {
            back.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Verdict decide(EgressRequest request) throws IOException {
        Verdict verdict = settings.filters().get().proceed(request);
        if (!verdict.allowed()) {
            settings.sink().record(Decision.denied(request, verdict));
            if (!request.protocol().equals("socks")) {
                respond(403, request.host() + ":" + request.port() + " is not allowed by this sandbox's network policy ("
                        + verdict.explanation() + "). To allow it, run on the host: corral policy allow "
                        + request.host() + " --sandbox " + settings.label());
            }
        }
        return verdict;
    }

    /** The connected upstream, or null after answering and recording why it failed. */
    private SocketChannel connect(EgressRequest request, Verdict verdict) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.socket().connect(new InetSocketAddress(verdict.address().orElseThrow(), request.port()),
                    (int) settings.connectTimeout().toMillis());
            channel.socket().setTcpNoDelay(true);
            return channel;
        } catch (IOException e) {
            channel.close();
            String why = e instanceof ConnectException ? "connection refused"
                    : e instanceof SocketTimeoutException ? "timed out" : String.valueOf(e.getMessage());
            fail(request, verdict, "could not connect to " + verdict.address().get().getHostAddress() + ": " + why);
            if (!request.protocol().equals("socks")) respond(502, "could not connect to " + request.host() + ":" + request.port() + ": " + why);
            return null;
        }
    }

    private void fail(EgressRequest request, Verdict verdict, String reason) {
        settings.sink().record(new Decision(Instant.now(), request.protocol(), request.host(), request.port(), request.method(),
                true, verdict.rule(), reason, verdict.address().map(a -> a.getHostAddress()), up.get(), down.get(), injected, warnings));
    }

    private void finish(EgressRequest request, Verdict verdict) {
        settings.sink().record(new Decision(Instant.now(), request.protocol(), request.host(), request.port(), request.method(),
                true, verdict.rule(), "", verdict.address().map(a -> a.getHostAddress()), up.get(), down.get(), injected, warnings));
    }

    static Optional<String> sniMismatch(String host, Optional<String> serverName) {
        if (serverName.isEmpty()) {
            return IpLiterals.parse(host).isPresent() ? Optional.empty()
                    : Optional.of("the TLS hello names no server, but the tunnel is for " + host);
        }
        String sni = serverName.get().endsWith(".") ? serverName.get().substring(0, serverName.get().length() - 1) : serverName.get();
        return sni.equalsIgnoreCase(host) ? Optional.empty()
                : Optional.of("the TLS hello names " + sni + ", but the tunnel is for " + host);
    }

    private List<SecretRoute> routesFor(String host) {
        List<SecretRoute> routes = new ArrayList<>();
        for (SecretRoute s : settings.secrets()) if (s.servesHost(host)) routes.add(s);
        return routes;
    }

    private StreamReplacer replacer(String host) {
        List<SecretRoute> mine = routesFor(host);
        List<SecretRoute> others = new ArrayList<>(settings.secrets());
        others.removeAll(mine);
        return new StreamReplacer(settings.tls().isPresent() || !mine.isEmpty() ? mine : List.of(), others);
    }

    private void note(StreamReplacer replacer) {
        injected.addAll(replacer.replaced());
        for (String name : replacer.misdirected()) {
            warnings.add("the placeholder of secret '" + name + "' was sent to a host it is not for; it was not replaced");
        }
    }

    private void respond(int status, String message) {
        String reason = switch (status) {
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 421 -> "Misdirected Request";
            case 431 -> "Request Header Fields Too Large";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "Error";
        };
        byte[] body = ("corral: " + message + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            write("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                    + body.length + "\r\nConnection: close\r\nX-Corral: denied\r\n\r\n");
            out.write(body);
            lingeringClose();
        } catch (IOException e) {
            // the client is gone
        }
    }

    /**
     * Ends our side but reads on for a moment, so a client still sending (an oversized head) gets
     * the answer instead of a reset.
     */
    private void lingeringClose() throws IOException {
        client.shutdownOutput();
        try (Deadlines.Handle limit = deadlines.start(java.time.Duration.ofSeconds(2), this::closeQuietly)) {
            byte[] sink = new byte[Relay.BUFFER];
            long total = 0;
            int n;
            while (total < (4 << 20) && (n = in.read(sink)) >= 0) total += n;
        }
    }

    private void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private void shutdownClientOutput() {
        try {
            client.shutdownOutput();
        } catch (IOException e) {
            // already closed
        }
    }

    void closeQuietly() {
        try {
            client.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private static void quietly(IoTask action) {
        try {
            action.run();
        } catch (IOException | RuntimeException e) {
            // best effort while tearing down
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** Work on a connection that may fail with an I/O error. */
    @FunctionalInterface
    interface IoTask {
        void run() throws IOException;
    }
}
