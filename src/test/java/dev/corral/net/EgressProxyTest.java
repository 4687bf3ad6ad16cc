package dev.corral.net;

import dev.corral.policy.RuleFilter;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.corral.net.tls.CertificateAuthority;
import dev.corral.policy.HostPattern;
import dev.corral.policy.NetworkPreset;
import dev.corral.policy.NetworkRule;
import dev.corral.policy.NetworkRules;
import dev.corral.policy.NetworkSettings;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The egress proxy over real sockets: a Unix socket in a temporary folder, loopback servers behind
 * it, and clients that speak HTTP, CONNECT and SOCKS5 to it — or garbage, or nothing at all.
 */
class EgressProxyTest {
    private static final String ALLOW_LOOPBACK = "allow 127.0.0.1 (run)";
    private static final String DENY_ALL = "no rule allows it, preset deny-all";
    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final Duration HANDSHAKE = Duration.ofMillis(300);
    private static final Duration PATIENT = Duration.ofSeconds(30);

    private static HttpServer http;
    private static final Queue<String> httpPaths = new ConcurrentLinkedQueue<>();
    private static LoopbackTcpServer echo;
    private static LoopbackTcpServer zeros;

    @TempDir
    Path dir;
    private final Queue<Decision> decisions = new ConcurrentLinkedQueue<>();
    private EgressProxy proxy;

    @BeforeAll
    static void startServers() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 100);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.createContext("/", exchange -> {
            httpPaths.add(exchange.getRequestURI().getPath());
            byte[] body = ("hello " + exchange.getRequestURI().getPath() + " via " + exchange.getRemoteAddress().getPort())
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
        echo = LoopbackTcpServer.echo();
        zeros = LoopbackTcpServer.zeros();
    }

    @AfterAll
    static void stopServers() throws IOException {
        http.stop(0);
        echo.close();
        zeros.close();
    }

    @AfterEach
    void closeProxy() {
        if (proxy != null) proxy.close();
    }

    @Test
    void fourHundredTunnelsOpenAtOnceEachCarryTheirOwnBytesAndGiveBackTheirSlots() throws Exception {
        start(PATIENT, 4096);
        int count = 400;
        CountDownLatch allOpen = new CountDownLatch(count);
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int id = i;
                results.add(clients.submit(() -> {
                    try (ProxyClient client = client()) {
                        client.openTunnel(echoAuthority(), PATIENT);
                        allOpen.countDown();
                        if (!go.await(60, TimeUnit.SECONDS)) return "tunnel " + id + " was never told to go";
                        byte[] data = payload(id);
                        client.send(data);
                        byte[] back = client.readExactly(data.length, PATIENT);
                        return Arrays.equals(data, back) ? null : "tunnel " + id + " got other bytes back";
                    }
                }));
            }
            try {
                assertTrue(allOpen.await(60, TimeUnit.SECONDS), "all tunnels open at once; open: " + (count - allOpen.getCount()));
                assertEquals(count, proxy.openConnections(), "every open tunnel holds a slot");
            } finally {
                go.countDown();
            }
            for (Future<String> result : results) assertNull(result.get(60, TimeUnit.SECONDS));
        }
        awaitOpenConnections(0);
        List<Decision> tunnels = decisions.stream().filter(d -> d.port() == echo.port()).toList();
        assertEquals(count, tunnels.size(), "one decision per tunnel");
        for (Decision d : tunnels) {
            assertTrue(d.allowed(), d.toString());
            assertEquals(ALLOW_LOOPBACK, d.rule());
            assertEquals(payload(0).length, d.bytesUp());
            assertEquals(payload(0).length, d.bytesDown());
        }
    }

    @Test
    void aConnectionBeyondMaxConnectionsIsToldTheProxyIsBusyUntilASlotFrees() throws Exception {
        start(PATIENT, 5);
        List<ProxyClient> tunnels = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                tunnels.add(client());
                tunnels.getLast().openTunnel(echoAuthority(), BOUND);
            }
            assertEquals(5, proxy.openConnections());
            try (ProxyClient quiet = client(); ProxyClient talking = client()) {
                talking.send(get("/busy"));
                for (ProxyClient sixth : List.of(quiet, talking)) {
                    String answer = text(sixth.readToEnd(BOUND));
                    assertTrue(answer.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), answer);
                    assertTrue(answer.contains("too many connections"), answer);
                }
            }
            assertFalse(httpPaths.contains("/busy"));
            assertEquals(5, proxy.openConnections(), "a busy answer holds no slot");
            tunnels.removeFirst().close();
            awaitOpenConnections(4);
            try (ProxyClient next = client()) {
                next.openTunnel(echoAuthority(), BOUND);
                assertEchoes(next, "a freed slot serves again");
            }
            for (ProxyClient tunnel : tunnels) assertEchoes(tunnel, "the other tunnels carry on");
        } finally {
            for (ProxyClient tunnel : tunnels) tunnel.close();
        }
        awaitOpenConnections(0);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"silent", "half a request head", "half a CONNECT head", "half a SOCKS greeting",
        "a SOCKS greeting and half a request"})
    void aClientThatStopsBeforeSayingWhatItWantsIsClosedAfterTheHandshakeTimeout(String what) throws Exception {
        start(HANDSHAKE, 64);
        byte[] sent = switch (what) {
            case "silent" -> new byte[0];
            case "half a request head" -> ascii("GET http://127.0.0.1:" + httpPort() + "/ HTTP/1.1\r\nHost: 127.0");
            case "half a CONNECT head" -> ascii("CONNECT 127.0.0.1:" + echo.port() + " HTTP/1.1\r\n");
            case "half a SOCKS greeting" -> new byte[]{5, 2, 0};
            default -> new byte[]{5, 1, 0, 5, 1, 0, 1, 127, 0};
        };
        try (ProxyClient client = client()) {
            long start = System.nanoTime();
            client.send(sent);
            byte[] answer = client.readToEnd(BOUND);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= HANDSHAKE.toMillis() - 50, "closed after " + millis + " ms, before the handshake timeout");
            assertTrue(millis < HANDSHAKE.toMillis() + 1500, "closed only after " + millis + " ms");
            byte[] expected = what.equals("a SOCKS greeting and half a request") ? new byte[]{5, 0} : new byte[0];
            assertArrayEquals(expected, answer, "nothing but the greeting's answer");
        }
        awaitOpenConnections(0);
        assertTrue(decisions.isEmpty(), "nothing was asked for, so nothing decided: " + decisions);
    }

    @Test
    void aTunnelToPort443IsClosedWithoutATlsHelloRefusedWithAnotherProtocolAndCarriesARealHandshake() throws Exception {
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir.resolve("ca"));
        Random random = new Random();
        SSLServerSocket socket = null;
        String host = null;
        for (int attempt = 0; socket == null && attempt < 5; attempt++) {
            host = "127." + (10 + random.nextInt(240)) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
            try {
                socket = (SSLServerSocket) ca.serverContext(host).getServerSocketFactory()
                        .createServerSocket(443, 50, InetAddress.getByName(host));
            } catch (BindException e) {
                assumeTrue(!e.getMessage().contains("Permission denied"),
                        "binding port 443 needs root or net.ipv4.ip_unprivileged_port_start <= 443");
            }
        }
        assertTrue(socket != null, "no free loopback address for port 443");
        String tlsHost = host;
        String authority = host + ":443";
        LoopbackTcpServer tls = new LoopbackTcpServer(socket, c -> {
            String line = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8)).readLine();
            c.getOutputStream().write(("echo: " + line + "\n").getBytes(StandardCharsets.UTF_8));
        });
        try {
            start(HANDSHAKE, 64, host);

            try (ProxyClient silent = client()) {
                silent.openTunnel(authority, BOUND);
                long start = System.nanoTime();
                assertArrayEquals(new byte[0], silent.readToEnd(BOUND));
                assertTrue(System.nanoTime() - start >= HANDSHAKE.minusMillis(50).toNanos(), "waited for the hello");
            }
            awaitOpenConnections(0);
            Decision quiet = awaitDecision(d -> d.port() == 443);
            assertFalse(quiet.allowed(), "no hello, no connection: " + quiet);
            assertEquals("tls", quiet.rule());
            assertEquals("port 443 without a TLS hello (none within the handshake timeout)", quiet.reason());
            decisions.clear();

            try (ProxyClient plain = client()) {
                plain.openTunnel(authority, BOUND);
                plain.send("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
                assertArrayEquals(new byte[0], plain.readToEnd(BOUND), "closed at once, nothing passed");
            }
            Decision refused = awaitDecision(d -> d.port() == 443 && !d.allowed());
            assertEquals("tls", refused.rule());
            assertTrue(refused.reason().startsWith("port 443 without a TLS hello"), refused.reason());

            try (ProxyClient real = client()) {
                real.openTunnel(authority, BOUND);
                String line = real.within(BOUND, "a TLS exchange", () ->
                        EngineTlsClient.exchangeLine(real.channel(), trusting(ca), tlsHost, 443, "hi!"));
                assertEquals("echo: hi!", line);
            }
            Decision carried = awaitDecision(d -> d.port() == 443 && d.allowed());
            assertEquals("allow " + host + " (run)", carried.rule());
            assertTrue(carried.bytesUp() > 100 && carried.bytesDown() > 100, carried.toString());
        } finally {
            tls.close();
        }
        awaitOpenConnections(0);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void garbageGetsAnErrorAnswerOrACloseAndTheProxyServesOnAfterwards(long seed) throws Exception {
        start(Duration.ofMillis(200), 64);
        Garbage garbage = Garbage.of(seed, httpPort(), echo.port());
        try (ProxyClient client = client()) {
            try {
                client.send(garbage.bytes());
                if (garbage.halfClose()) client.shutdownOutput();
            } catch (IOException e) {
                // the proxy closed before taking it all: that is an answer too
            }
            byte[] answer = client.readToEnd(Duration.ofSeconds(3));
            boolean http = text(answer).startsWith("HTTP/1.1 ");
            boolean socks5 = answer.length >= 2 && answer[0] == 5;
            boolean socks4 = Arrays.equals(answer, new byte[]{0, 0x5b, 0, 0, 0, 0, 0, 0});
            assertTrue(answer.length == 0 || http || socks5 || socks4, "a malformed answer: " + text(answer));
        }
        awaitOpenConnections(0);
        try (ProxyClient client = client()) {
            client.send(get("/after-garbage"));
            ProxyClient.Response response = client.readResponse(BOUND);
            assertEquals(200, response.status());
            assertTrue(response.body().startsWith("hello /after-garbage"), response.body());
        }
    }

    static LongStream seeds() {
        return LongStream.range(0, 200);
    }

    @Test
    void plainHttpKeepsTheConnectionForTheSameServerAndEndsItAtAnother() throws Exception {
        start(BOUND, 64);
        try (ProxyClient client = client()) {
            client.send(get("/keep-one"));
            ProxyClient.Response first = client.readResponse(BOUND);
            client.send(get("/keep-two"));
            ProxyClient.Response second = client.readResponse(BOUND);
            assertEquals(200, first.status());
            assertEquals(200, second.status());
            assertTrue(first.body().startsWith("hello /keep-one via "), first.body());
            assertTrue(second.body().startsWith("hello /keep-two via "), second.body());
            assertEquals(first.body().replaceAll(".* via ", ""), second.body().replaceAll(".* via ", ""),
                    "both requests went over one upstream connection");

            client.send("GET http://localhost:" + httpPort() + "/keep-three HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertArrayEquals(new byte[0], client.readToEnd(BOUND), "ended without a word");
        }
        Decision decision = awaitDecision(d -> d.protocol().equals("http"));
        assertTrue(decision.allowed());
        assertEquals(Optional.of("GET"), decision.method());
        assertTrue(decision.warnings().contains("a request for another host on the same connection ended it"), decision.warnings().toString());
        assertFalse(httpPaths.contains("/keep-three"), "the request for the other authority went nowhere");
        awaitOpenConnections(0);
    }

    @Test
    void allowedConnectionsAreRecordedWithTheirRuleAddressAndBytes() throws Exception {
        start(BOUND, 64);
        try (ProxyClient tunnel = client()) {
            tunnel.openTunnel(echoAuthority(), BOUND);
            tunnel.send("ping");
            assertEquals("ping", text(tunnel.readExactly(4, BOUND)));
        }
        try (ProxyClient socks = client()) {
            assertEquals(Socks5.SUCCEEDED, socksConnect(socks, new byte[]{1, 127, 0, 0, 1}, echo.port()));
            socks.send("pong!");
            assertEquals("pong!", text(socks.readExactly(5, BOUND)));
        }
        try (ProxyClient plain = client()) {
            plain.send(get("/recorded"));
            assertEquals(200, plain.readResponse(BOUND).status());
        }
        Decision connect = awaitDecision(d -> d.protocol().equals("connect"));
        Decision socks = awaitDecision(d -> d.protocol().equals("socks"));
        Decision plain = awaitDecision(d -> d.protocol().equals("http"));
        for (Decision d : List.of(connect, socks, plain)) {
            assertEquals("allow", d.toMap().get("decision"), d.toString());
            assertEquals(ALLOW_LOOPBACK, d.rule());
            assertEquals(Optional.of("127.0.0.1"), d.address());
            assertEquals("", d.reason());
        }
        assertEquals(4, connect.bytesUp());
        assertEquals(4, connect.bytesDown());
        assertEquals(5, socks.bytesUp());
        assertEquals(5, socks.bytesDown());
        assertTrue(plain.bytesUp() > 0 && plain.bytesDown() > 0, plain.toString());
        assertEquals(Optional.of("GET"), plain.method());
    }

    @Test
    void deniedConnectionsAreRecordedAndAnsweredWith403OrSocksReply2() throws Exception {
        start(BOUND, 64);
        try (ProxyClient plain = client()) {
            plain.send("GET http://127.0.0.2:" + httpPort() + "/denied HTTP/1.1\r\nHost: 127.0.0.2\r\n\r\n");
            ProxyClient.Response response = plain.readResponse(BOUND);
            assertEquals(403, response.status());
            assertTrue(response.body().contains("corral policy allow 127.0.0.2 --sandbox test"), response.body());
        }
        try (ProxyClient connect = client()) {
            connect.send("CONNECT denied.example:443 HTTP/1.1\r\nHost: denied.example:443\r\n\r\n");
            assertEquals(403, connect.readResponse(BOUND).status());
        }
        try (ProxyClient socks = client()) {
            byte[] name = ascii("denied.example");
            byte[] address = new byte[2 + name.length];
            address[0] = 3;
            address[1] = (byte) name.length;
            System.arraycopy(name, 0, address, 2, name.length);
            assertEquals(Socks5.NOT_ALLOWED, socksConnect(socks, address, 80));
        }
        try (ProxyClient socks = client()) {
            assertEquals(Socks5.NOT_ALLOWED, socksConnect(socks, new byte[]{1, 127, 0, 0, 2}, echo.port()));
        }
        awaitOpenConnections(0);
        assertEquals(4, decisions.size(), decisions.toString());
        for (Decision d : decisions) {
            assertEquals("deny", d.toMap().get("decision"), d.toString());
            assertEquals(DENY_ALL, d.rule());
            assertEquals(0, d.bytesUp() + d.bytesDown());
        }
        assertEquals(List.of("127.0.0.2", "denied.example", "denied.example", "127.0.0.2"),
                decisions.stream().map(Decision::host).toList());
        assertFalse(httpPaths.contains("/denied"));
    }

    @Test
    void closingTheProxyEndsEveryOpenTunnelPromptlyAndRemovesTheSocket() throws Exception {
        start(PATIENT, 64);
        List<ProxyClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                clients.add(client());
                clients.getLast().openTunnel(echoAuthority(), BOUND);
                assertEchoes(clients.getLast(), "tunnel " + i);
            }
            clients.add(client());
            clients.getLast().send("GET http://127.0.0.1:1/ HTTP/1.1\r\n"); // mid-head
            awaitOpenConnections(21);

            long start = System.nanoTime();
            proxy.close();
            for (ProxyClient c : clients) c.readToEnd(Duration.ofSeconds(2));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 2000, "all ended within " + millis + " ms");
        } finally {
            for (ProxyClient c : clients) c.close();
        }
        assertFalse(Files.exists(proxy.socket()), "the socket file is gone");
        assertThrows(IOException.class, () -> SocketChannel.open(UnixDomainSocketAddress.of(proxy.socket())).close());
        awaitOpenConnections(0);
    }

    @Test
    void a256MiBDownloadThroughATunnelArrivesWhole() throws Exception {
        start(BOUND, 64);
        long size = 256L << 20;
        try (ProxyClient client = client()) {
            client.openTunnel("127.0.0.1:" + zeros.port(), BOUND);
            client.send(ByteBuffer.allocate(8).putLong(size).array());
            long start = System.nanoTime();
            long received = client.countZerosToEnd(PATIENT);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("256 MiB through a CONNECT tunnel in %.2f s: %.0f MiB/s%n", seconds, size / (1 << 20) / seconds);
            assertEquals(size, received);
        }
        Decision decision = awaitDecision(d -> d.port() == zeros.port());
        assertEquals(size, decision.bytesDown());
        assertEquals(8, decision.bytesUp());
    }

    private void start(Duration handshakeTimeout, int maxConnections, String... alsoAllowed) throws IOException {
        List<NetworkRule> rules = new ArrayList<>();
        rules.add(new NetworkRule(NetworkRule.Action.ALLOW, HostPattern.parse("127.0.0.1"), NetworkSettings.FROM_RUN));
        for (String host : alsoAllowed) rules.add(new NetworkRule(NetworkRule.Action.ALLOW, HostPattern.parse(host), NetworkSettings.FROM_RUN));
        NetworkRules policy = new NetworkRules(NetworkPreset.DENY_ALL, rules);
        FilterChain chain = new FilterChain(List.of(new RuleFilter(() -> policy),
                new AddressFilter(AddressFilter.systemResolver(), policy::deniedAddress)));
        ProxySettings settings = new ProxySettings("test", () -> chain, decisions::add, List.of(), Optional.empty(),
                handshakeTimeout, Duration.ofSeconds(5), maxConnections);
        proxy = EgressProxy.start(dir.resolve("proxy.sock"), settings);
    }

    private ProxyClient client() throws IOException {
        return ProxyClient.connect(proxy.socket());
    }

    private void awaitOpenConnections(int expected) throws InterruptedException {
        awaitTrue(() -> proxy.openConnections() == expected ? 1 : 0, "open connections " + expected);
        assertEquals(expected, proxy.openConnections());
    }

    private Decision awaitDecision(Predicate<Decision> which) throws InterruptedException {
        awaitTrue(() -> decisions.stream().anyMatch(which) ? 1 : 0, "a decision");
        return decisions.stream().filter(which).findFirst().orElseThrow();
    }

    private void awaitTrue(IntSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (condition.getAsInt() == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + BOUND.toMillis() + " ms for " + what + "; open: " + proxy.openConnections()
                        + ", decisions: " + decisions);
            }
            Thread.sleep(10);
        }
    }

    /** Answers SOCKS5's greeting and sends a CONNECT for {@code address} (type byte first); the reply code. */
    private static byte socksConnect(ProxyClient client, byte[] address, int port) throws IOException {
        client.send(new byte[]{5, 1, 0});
        assertArrayEquals(new byte[]{5, 0}, client.readExactly(2, BOUND), "no authentication");
        ByteBuffer request = ByteBuffer.allocate(3 + address.length + 2).put(new byte[]{5, 1, 0}).put(address).putShort((short) port);
        client.send(request.array());
        byte[] reply = client.readExactly(10, BOUND);
        assertEquals(5, reply[0]);
        return reply[1];
    }

    private static void assertEchoes(ProxyClient tunnel, String what) throws IOException {
        tunnel.send(what);
        assertEquals(what, text(tunnel.readExactly(ascii(what).length, BOUND)));
    }

    /** Distinct bytes for each tunnel, all of one length. */
    private static byte[] payload(int id) {
        byte[] bytes = new byte[16 * 1024];
        new Random(id).nextBytes(bytes);
        ByteBuffer.wrap(bytes).putInt(id);
        return bytes;
    }

    private static String get(String path) {
        return "GET http://127.0.0.1:" + httpPort() + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + httpPort() + "\r\n\r\n";
    }

    private static String echoAuthority() {
        return "127.0.0.1:" + echo.port();
    }

    private static int httpPort() {
        return http.getAddress().getPort();
    }

    private static SSLContext trusting(CertificateAuthority ca) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("corral-test-ca", ca.certificate());
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
