package dev.corral.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The proxy tests' network: reachable from the host, servers recording what they get, nothing left after close. */
class NetworkFixtureIT {
    private static final String HTTP = "198.51.100.2";
    private static final String HTTPS = "198.51.100.3";
    private static final String ECHO = "198.51.100.4";

    @Test
    void serversInTheNamespaceAnswerTheHostRecordAndDisappearWithClose() throws Exception {
        String namespace;
        String veth;
        Path dir;
        List<TestNetwork.Server> servers = new ArrayList<>();
        try (TestNetwork net = new TestNetwork()) {
            namespace = net.namespace();
            veth = net.hostInterface();
            dir = net.dir();
            assertTrue(TestNetwork.namespaceExists(namespace));
            assertTrue(veth.length() <= 15, veth);
            String hostAddresses = CorralHarness.run("ip", "-o", "-4", "addr", "show");
            assertTrue(hostAddresses.contains(veth) && hostAddresses.contains(" 198.51.100.1/24"), hostAddresses);
            assertFalse(hostAddresses.contains(" " + HTTP + "/"), "the servers' addresses are inside the namespace only");

            // Plain HTTP: answer, recorded request, /bytes/N, keep-alive.
            TestNetwork.Server http = net.httpServer(HTTP, 8080);
            servers.add(http);
            assertTrue(CorralHarness.run("ip", "netns", "pids", namespace).contains(Long.toString(http.pid())));
            assertEquals("hello from 198.51.100.2", curl("-H", "X-Test: one", "--data-binary", "payload é",
                    "http://198.51.100.2:8080/echo?x=1"));
            TestNetwork.Request post = http.requests().getFirst();
            assertEquals("POST", post.method());
            assertEquals("/echo?x=1", post.path());
            assertEquals("HTTP/1.1", post.version());
            assertEquals("payload é", post.body());
            assertEquals("one", post.header("x-test").orElseThrow());
            assertEquals("198.51.100.2:8080", post.header("Host").orElseThrow());
            assertEquals(TestNetwork.HOST_ADDRESS, post.client());
            assertFalse(post.tls());
            assertEquals(300_000 + " 200", curl("-o", "/dev/null", "-w", "%{size_download} %{http_code}",
                    "http://198.51.100.2:8080/bytes/300000"));
            assertEquals("1 0 ", curl("-o", "/dev/null", "-o", "/dev/null", "-w", "%{num_connects} ",
                    "http://198.51.100.2:8080/a", "http://198.51.100.2:8080/b"), "keep-alive");
            assertEquals(List.of("POST", "GET", "GET", "GET"), http.requests().stream().map(TestNetwork.Request::method).toList());
            assertEquals("200", curlStatus("-X", "DELETE", "http://198.51.100.2:8080/x"), "any method");
            assertEquals("DELETE", http.requests().getLast().method());

            // A second server on an extra address, any free port.
            TestNetwork.Server other = net.httpServer("198.51.100.9", 0);
            servers.add(other);
            assertTrue(other.port() > 0);
            assertEquals("hello from 198.51.100.9", curl(other.url() + "/"));

            // HTTPS: verifies against the test CA for its names only, records SNI and ALPN.
            TestNetwork.Server https = net.httpsServer(HTTPS, 8443, List.of("secure.corral.test", "alt.corral.test"));
            servers.add(https);
            Path ca = net.testCa();
            assertTrue(Files.readString(ca).startsWith("-----BEGIN CERTIFICATE-----"));
            assertEquals("hello from 198.51.100.3", curl("--cacert", ca.toString(), "--resolve", "secure.corral.test:8443:" + HTTPS,
                    "https://secure.corral.test:8443/tls"));
            TestNetwork.Request tls = https.requests().getFirst();
            assertEquals("secure.corral.test", tls.sni());
            assertEquals("http/1.1", tls.alpn());
            assertTrue(tls.tls());
            assertEquals("/tls", tls.path());
            assertEquals("hello from 198.51.100.3", curl("--cacert", ca.toString(), "--resolve", "alt.corral.test:8443:" + HTTPS,
                    "https://alt.corral.test:8443/"));
            assertEquals("alt.corral.test", https.requests().getLast().sni());
            assertNotEquals(0, curlExit("--cacert", ca.toString(), "--resolve", "wrong.corral.test:8443:" + HTTPS,
                    "https://wrong.corral.test:8443/"), "a name not in the certificate");
            assertNotEquals(0, curlExit("--resolve", "secure.corral.test:8443:" + HTTPS, "https://secure.corral.test:8443/"),
                    "without the test CA");
            assertNotEquals(0, curlExit("--cacert", ca.toString(), "--tls-max", "1.1", "--resolve", "secure.corral.test:8443:" + HTTPS,
                    "https://secure.corral.test:8443/"), "TLS 1.1");
            assertEquals("TLSv1.3", javaTlsGet(ca, "secure.corral.test"), "the JDK (the proxy's TLS) accepts it too");
            assertEquals("secure.corral.test", https.requests().getLast().sni());

            // TCP echo, recorded when the connection ends.
            TestNetwork.Server echo = net.tcpEcho(ECHO, 7000);
            servers.add(echo);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(ECHO, 7000), 5000);
                s.getOutputStream().write("ping\0pong".getBytes(StandardCharsets.ISO_8859_1));
                s.shutdownOutput();
                assertEquals("ping\0pong", new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1));
            }
            Map<String, Object> connection = echo.awaitRecords(1, Duration.ofSeconds(5)).getFirst();
            assertEquals(9L, connection.get("bytes"));
            assertEquals(TestNetwork.HOST_ADDRESS, connection.get("client"));

            // A server that cannot start says why.
            IllegalStateException failed = assertThrows(IllegalStateException.class, () -> net.httpServer("198.51.100.77", 80));
            assertTrue(failed.getMessage().contains("did not start") && failed.getMessage().contains("assign"), failed::getMessage);

            // The hosts file a corral JVM gets, and a JVM resolving through it.
            Path hosts = net.hostsFile(Map.of("bench.corral.test", HTTP, "secure.corral.test", HTTPS));
            assertTrue(Files.readString(hosts).contains("198.51.100.3 secure.corral.test\n"));
            assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(hosts)));
            assertEquals("198.51.100.3", resolveIn(hosts, net.dir(), "secure.corral.test"));
        }
        assertFalse(TestNetwork.namespaceExists(namespace), "namespace deleted");
        assertFalse(TestNetwork.interfaceExists(veth), "veth deleted");
        assertFalse(Files.exists(dir), "temporary folder deleted");
        for (TestNetwork.Server s : servers) {
            assertFalse(ProcessHandle.of(s.pid()).map(ProcessHandle::isAlive).orElse(false), s::toString);
        }
        assertFalse(CorralHarness.run("ip", "-o", "-4", "addr", "show").contains(" 198.51.100.1/"), "host address gone");
        String route = CorralHarness.run("ip", "route", "get", HTTP);
        assertFalse(route.contains(veth), "no route through the veth after close: " + route);
    }

    @ParameterizedTest
    @EnumSource(Invoker.class)
    void theHarnessPassesJvmOptionsAndTheInvokerCanReadTheNetworksFiles(Invoker invoker) {
        try (TestNetwork net = new TestNetwork(); CorralHarness corral = new CorralHarness(invoker)) {
            Path hosts = net.hostsFile(Map.of("bench.corral.test", HTTP));
            Path ca = net.testCa();
            CorralHarness.Result r = corral.jvmOptions(List.of("-Djdk.net.hosts.file=" + hosts, "-XshowSettings:properties"))
                    .corral("version");
            assertEquals(0, r.exit(), r::toString);
            assertTrue(r.stderr().contains("jdk.net.hosts.file = " + hosts), r::toString);
            assertFalse(corral.jvmOptions(List.of()).corral("version").stderr().contains("jdk.net.hosts.file"));
            CorralHarness.Result read = corral.host("cat", hosts.toString(), ca.toString());
            assertEquals(0, read.exit(), read::toString);
            assertTrue(read.stdout().contains("bench.corral.test") && read.stdout().contains("BEGIN CERTIFICATE"), read::toString);
        }
    }

    /** curl from the host (never through a proxy of the environment); its stdout, failing on an error. */
    private static String curl(String... args) {
        List<String> argv = new ArrayList<>(List.of("curl", "-sS", "--fail", "--noproxy", "*", "--max-time", "20"));
        argv.addAll(List.of(args));
        return CorralHarness.run(argv.toArray(String[]::new));
    }

    private static String curlStatus(String... args) {
        List<String> argv = new ArrayList<>(List.of("-o", "/dev/null", "-w", "%{http_code}"));
        argv.addAll(List.of(args));
        return curl(argv.toArray(String[]::new));
    }

    private static int curlExit(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("curl", "-sS", "--noproxy", "*", "--max-time", "10", "-o", "/dev/null"));
        argv.addAll(List.of(args));
        return new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    /** A GET over the JDK's TLS, trusting only the test CA, with host name verification; the protocol used. */
    private static String javaTlsGet(Path ca, String name) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(ca)) {
            trust.setCertificateEntry("test-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(HTTPS, 8443), 5000);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, name, 8443, true)) {
            var parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            parameters.setApplicationProtocols(new String[]{"http/1.1"});
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /java HTTP/1.1\r\nHost: " + name + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 200") && response.endsWith("hello from 198.51.100.3"), response);
            assertEquals("http/1.1", socket.getApplicationProtocol());
            return socket.getSession().getProtocol();
        }
    }

    /** How a fresh JVM given {@code -Djdk.net.hosts.file=HOSTS} (as the corral JVM is) resolves a name. */
    private static String resolveIn(Path hosts, Path dir, String name) throws Exception {
        Path source = dir.resolve("Resolve.java");
        Files.writeString(source, """
                public class Resolve {
                    public static void main(String[] args) throws Exception {
                        System.out.print(java.net.InetAddress.getByName(args[0]).getHostAddress());
                        try {
                            java.net.InetAddress.getByName("example.com");
                            System.out.print(" example.com resolved");
                        } catch (java.net.UnknownHostException expected) {
                            // only the file's names exist
                        }
                    }
                }
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return CorralHarness.run(java, "-Djdk.net.hosts.file=" + hosts, source.toString(), name);
    }
}
