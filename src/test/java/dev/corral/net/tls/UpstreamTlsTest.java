package dev.corral.net.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpstreamTlsTest {
    @TempDir
    static Path tmp;
    static CertificateAuthority upstreamCa;
    static Path upstreamCaPem;

    @BeforeAll
    static void createUpstreamCa() {
        upstreamCa = CertificateAuthority.loadOrCreate(tmp.resolve("upstream"));
        upstreamCaPem = tmp.resolve("upstream/ca.pem");
    }

    private static String exchange(SSLContext context, int port, String host) throws IOException {
        Socket plain = new Socket(InetAddress.getLoopbackAddress(), port);
        try (SSLSocket socket = UpstreamTls.connect(context, plain, host, port)) {
            assertEquals("http/1.1", socket.getApplicationProtocol());
            socket.getOutputStream().write("hi\n".getBytes(StandardCharsets.UTF_8));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }

    @Test
    void anExtraCaFileIsTrustedAndTheHostNameGoesOutAsSni() throws Exception {
        try (EchoServer server = new EchoServer(upstreamCa.serverContext("localhost"))) {
            assertEquals("echo: hi alpn=http/1.1 sni=localhost",
                    exchange(UpstreamTls.context(List.of(upstreamCaPem)), server.port(), "localhost"));
        }
    }

    @Test
    void anIpAddressIsVerifiedWithoutSni() throws Exception {
        try (EchoServer server = new EchoServer(upstreamCa.serverContext("127.0.0.1"))) {
            assertEquals("echo: hi alpn=http/1.1 sni=-",
                    exchange(UpstreamTls.context(List.of(upstreamCaPem)), server.port(), "127.0.0.1"));
        }
    }

    @Test
    void theSystemBundleIsTrusted() throws Exception {
        Path bundle = Files.writeString(tmp.resolve("bundle.crt"), "# system\n" + upstreamCa.certificatePem());
        try (EchoServer server = new EchoServer(upstreamCa.serverContext("localhost"))) {
            assertEquals("echo: hi alpn=http/1.1 sni=localhost",
                    exchange(UpstreamTls.context(List.of(), bundle), server.port(), "localhost"));
        }
    }

    @Test
    void anUntrustedServerFailsTheHandshakeAndClosesTheSocket() throws Exception {
        try (EchoServer server = new EchoServer(upstreamCa.serverContext("localhost"))) {
            Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.port());

            SSLContext trustingOnlyTheUsual = UpstreamTls.context(List.of());
            assertThrows(IOException.class, () -> UpstreamTls.connect(trustingOnlyTheUsual, plain, "localhost", server.port()));
            assertTrue(plain.isClosed());
        }
    }

    @Test
    void aCertificateForAnotherHostFailsTheHandshake() throws Exception {
        try (EchoServer server = new EchoServer(upstreamCa.serverContext("localhost"))) {
            Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.port());

            assertThrows(IOException.class,
                    () -> UpstreamTls.connect(UpstreamTls.context(List.of(upstreamCaPem)), plain, "example.org", server.port()));
        }
    }

    @Test
    void theJdkDefaultsTheSystemBundleAndTheExtrasAreAllAnchors() throws Exception {
        TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        jdk.init((KeyStore) null);
        X509Certificate[] jdkAnchors = ((X509TrustManager) jdk.getTrustManagers()[0]).getAcceptedIssuers();
        Path system = TrustFiles.SYSTEM_BUNDLE;

        KeyStore anchors = UpstreamTls.anchors(List.of(upstreamCaPem), system);

        Set<Object> all = new HashSet<>();
        for (String alias : Collections.list(anchors.aliases())) all.add(anchors.getCertificate(alias));
        assertTrue(all.containsAll(List.of(jdkAnchors)));
        assertTrue(all.containsAll(Pem.certificatesLeniently(Files.readString(system))));
        assertTrue(all.contains(upstreamCa.certificate()));
    }

    @Test
    void anExtraFileThatCannotBeUsedIsNamedInTheError() throws Exception {
        Path missing = tmp.resolve("missing.pem");
        Path empty = Files.writeString(tmp.resolve("empty.pem"), "nothing here\n");
        Path garbage = Files.writeString(tmp.resolve("garbage.pem"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        Path unterminated = Files.writeString(tmp.resolve("cut.pem"), upstreamCa.certificatePem().substring(0, 300));
        Path unreadable = Files.writeString(tmp.resolve("secret.pem"), upstreamCa.certificatePem());
        Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("---------"));

        for (Path bad : List.of(missing, empty, garbage, unterminated, unreadable)) {
            if (bad == unreadable && Files.isReadable(bad)) continue; // running as root
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> UpstreamTls.context(List.of(upstreamCaPem, bad)));
            assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }
}
