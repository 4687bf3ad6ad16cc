package dev.corral.net.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientTlsTest {
    private static final String PYTHON_UNIX_CLIENT = """
            import socket, ssl, sys
            path, cafile, name, alpn, version = sys.argv[1:6]
            ctx = ssl.create_default_context(cafile=cafile)
            ctx.verify_flags |= ssl.VERIFY_X509_STRICT | ssl.VERIFY_X509_PARTIAL_CHAIN
            if alpn != "-":
                ctx.set_alpn_protocols(alpn.split(","))
            if version == "TLSv1.2":
                ctx.maximum_version = ssl.TLSVersion.TLSv1_2
            raw = socket.socket(socket.AF_UNIX)
            raw.settimeout(30)
            raw.connect(path)
            with ctx.wrap_socket(raw, server_hostname=name) as s:
                s.sendall(b"ping\\n")
                data = b""
                while not data.endswith(b"\\n"):
                    chunk = s.recv(100)
                    if not chunk:
                        break
                    data += chunk
                print(s.version(), s.selected_alpn_protocol(), data.decode().strip())
            """;
    @TempDir
    static Path shared;
    static CertificateAuthority ca;
    @TempDir
    Path tmp;
    Path socketPath;
    ServerSocketChannel server;

    @BeforeAll
    static void createCa() {
        ca = CertificateAuthority.loadOrCreate(shared.resolve("ca"));
    }

    @BeforeEach
    void listen() throws IOException {
        socketPath = tmp.resolve("proxy.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(socketPath));
    }

    @AfterEach
    void stopListening() throws IOException {
        server.close();
    }

    /** What the proxy does: read the ClientHello off the channel, then terminate TLS with the replayed bytes. */
    private Duplex acceptLikeTheProxy() throws IOException {
        SocketChannel client = server.accept();
        TlsClientHello.Result hello = TlsClientHello.read(Channels.newInputStream(client), 64 * 1024);
        return ClientTls.accept(client, hello.consumed(), ca.serverContext(hello.serverName().orElse("localhost")));
    }

    private static String serveOneLine(Duplex duplex) throws IOException {
        try (duplex) {
            String line = new BufferedReader(new InputStreamReader(duplex.input(), StandardCharsets.UTF_8)).readLine();
            String reply = "pong to " + line + " over [" + duplex.applicationProtocol() + "]\n";
            duplex.output().write(reply.getBytes(StandardCharsets.UTF_8));
            duplex.output().flush();
            return duplex.applicationProtocol();
        }
    }

    @ParameterizedTest
    @CsvSource({
            "'h2,http/1.1', TLSv1.3, 'TLSv1.3 http/1.1 pong to ping over [http/1.1]', http/1.1",
            "'h2,http/1.1', TLSv1.2, 'TLSv1.2 http/1.1 pong to ping over [http/1.1]', http/1.1",
            "-,             TLSv1.3, 'TLSv1.3 None pong to ping over []', ''",
            "h2,            TLSv1.3, 'TLSv1.3 None pong to ping over []', ''"})
    void aStrictPythonClientOverTheUnixSocketGetsHttp11OrNoAlpn(String alpn, String version, String printed, String chosen)
            throws Exception {
        Process python = new ProcessBuilder(TestTools.PYTHON, "-c", PYTHON_UNIX_CLIENT, socketPath.toString(),
                shared.resolve("ca/ca.pem").toString(), "api.example.org", alpn, version).redirectErrorStream(true).start();
        try {
            assertEquals(chosen, serveOneLine(acceptLikeTheProxy()));
            String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(python.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, python.exitValue(), out);
            assertEquals(printed, out.strip());
        } finally {
            python.destroyForcibly();
        }
    }

    @Test
    void opensslSClientOverTheUnixSocketVerifiesStrictly() throws Exception {
        List<String> command = List.of("openssl", "s_client", "-unix", socketPath.toString(), "-servername", "example.org",
                "-verify_hostname", "example.org", "-CAfile", shared.resolve("ca/ca.pem").toString(), "-verify_return_error",
                "-x509_strict", "-alpn", "h2,http/1.1", "-brief", "-ign_eof");
        CompletableFuture<TestTools.Output> openssl =
                CompletableFuture.supplyAsync(() -> TestTools.get(() -> TestTools.run(command, "ping\n")));

        assertEquals("http/1.1", serveOneLine(acceptLikeTheProxy()));
        TestTools.Output out = openssl.get(60, TimeUnit.SECONDS);

        assertEquals(0, out.exit(), out.text());
        assertTrue(out.text().contains("Verification: OK"), out.text());
        assertTrue(out.text().contains("pong to ping over [http/1.1]"), out.text());
    }

    @Test
    void bothDirectionsCarryMebibytesAtTheSameTime() {
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            int size = 4 * 1024 * 1024;
            byte[] up = randomBytes(1, size);
            byte[] down = randomBytes(2, size);
            Future<SSLSocket> clientFuture = CompletableFuture.supplyAsync(() -> TestTools.get(this::jdkClientOverUnixSocket));
            try (Duplex duplex = acceptLikeTheProxy(); SSLSocket client = clientFuture.get(30, TimeUnit.SECONDS)) {
                List<Future<byte[]>> transfers = new ArrayList<>();
                transfers.add(copyInBackground(down, duplex.output()));
                transfers.add(copyInBackground(up, client.getOutputStream()));
                Future<byte[]> serverRead = readInBackground(duplex.input(), size);
                Future<byte[]> clientRead = readInBackground(client.getInputStream(), size);

                assertArrayEquals(sha256(up), serverRead.get(60, TimeUnit.SECONDS));
                assertArrayEquals(sha256(down), clientRead.get(60, TimeUnit.SECONDS));
                for (Future<byte[]> t : transfers) t.get(60, TimeUnit.SECONDS);
            }
        });
    }

    @Test
    void shuttingDownOutputLetsTheOtherDirectionFinish() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Future<SSLSocket> clientFuture = CompletableFuture.supplyAsync(() -> TestTools.get(this::jdkClientOverUnixSocket));
            try (Duplex duplex = acceptLikeTheProxy(); SSLSocket client = clientFuture.get(30, TimeUnit.SECONDS)) {
                duplex.output().write("bye".getBytes(StandardCharsets.US_ASCII));
                duplex.shutdownOutput();

                assertArrayEquals("bye".getBytes(StandardCharsets.US_ASCII), client.getInputStream().readAllBytes());
                client.getOutputStream().write("still here".getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().flush();
                assertArrayEquals("still here".getBytes(StandardCharsets.US_ASCII), duplex.input().readNBytes(10));
            }
        });
    }

    @Test
    void closingUnblocksAReaderInAnotherThread() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Future<SSLSocket> clientFuture = CompletableFuture.supplyAsync(() -> TestTools.get(this::jdkClientOverUnixSocket));
            Duplex duplex = acceptLikeTheProxy();
            SSLSocket client = clientFuture.get(30, TimeUnit.SECONDS);
            try {
                CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
                    try {
                        return duplex.input().read();
                    } catch (IOException e) {
                        return -2;
                    }
                });
                Thread.sleep(200);
                assertFalse(reader.isDone());

                duplex.close();

                assertTrue(reader.get(10, TimeUnit.SECONDS) < 0);
            } finally {
                client.close();
            }
        });
    }

    @Test
    void aClientThatStallsMidHandshakeIsCutOff() throws Exception {
        try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(socketPath))) {
            client.write(ByteBuffer.wrap(ClientHellos.jdk("example.org")));
            SocketChannel accepted = server.accept();
            TlsClientHello.Result hello = TlsClientHello.read(Channels.newInputStream(accepted), 64 * 1024);

            IOException e = assertThrows(IOException.class, () -> ClientTls.accept(accepted, hello.consumed(),
                    ca.serverContext("example.org"), Duration.ofMillis(300)));

            assertTrue(e.getMessage().contains("timed out"), e.getMessage());
            assertFalse(accepted.isOpen());
        }
    }

    @Test
    void bytesThatAreNotTlsFailTheHandshakeAndCloseTheChannel() throws Exception {
        SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(socketPath));
        try {
            SocketChannel accepted = server.accept();
            byte[] http = "GET / HTTP/1.1\r\nHost: example.org\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

            assertThrows(IOException.class, () -> ClientTls.accept(accepted, http, ca.serverContext("example.org")));
            assertFalse(accepted.isOpen());
        } finally {
            client.close();
        }
    }

    private SSLSocket jdkClientOverUnixSocket() throws Exception {
        SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socketPath));
        SSLSocket socket = (SSLSocket) TestTools.trusting(ca.certificate()).getSocketFactory()
                .createSocket(new ChannelSocket(channel), "api.example.org", 443, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        assertEquals("http/1.1", socket.getApplicationProtocol());
        return socket;
    }

    private static Future<byte[]> copyInBackground(byte[] data, OutputStream out) {
        return CompletableFuture.supplyAsync(() -> TestTools.get(() -> {
            Random random = new Random(3);
            for (int at = 0; at < data.length; ) {
                int n = Math.min(1 + random.nextInt(64 * 1024), data.length - at);
                out.write(data, at, n);
                at += n;
            }
            out.flush();
            return data;
        }), r -> Thread.ofPlatform().start(r));
    }

    private static Future<byte[]> readInBackground(InputStream in, int size) {
        return CompletableFuture.supplyAsync(() -> TestTools.get(() -> sha256(in.readNBytes(size))),
                r -> Thread.ofPlatform().start(r));
    }

    private static byte[] randomBytes(long seed, int size) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }
}
