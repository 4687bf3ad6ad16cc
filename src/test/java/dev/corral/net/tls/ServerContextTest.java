package dev.corral.net.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerContextTest {
    /** A client as strict as Python 3.13's default context, on the Python 3.11 installed here. */
    private static final String STRICT_PYTHON_CLIENT = """
            import socket, ssl, sys
            cafile, port, name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
            ctx = ssl.create_default_context(cafile=cafile)
            ctx.verify_flags |= ssl.VERIFY_X509_STRICT | ssl.VERIFY_X509_PARTIAL_CHAIN
            with socket.create_connection(("127.0.0.1", port), timeout=30) as raw:
                with ctx.wrap_socket(raw, server_hostname=name) as s:
                    s.sendall(b"hello\\n")
                    print(s.version(), s.recv(200).decode().strip())
            """;
    @TempDir
    static Path tmp;
    static CertificateAuthority ca;

    @BeforeAll
    static void createCa() {
        ca = CertificateAuthority.loadOrCreate(tmp.resolve("ca"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aJdkClientTrustingOnlyTheCaVerifiesTheLeafAndTheHostName(String protocol) throws Exception {
        try (EchoServer server = new EchoServer(ca.serverContext("localhost"))) {
            SSLSocket socket = connect(TestTools.trusting(ca.certificate()), server.port(), "localhost", protocol);

            assertEquals(protocol, socket.getSession().getProtocol());
            assertEquals(2, socket.getSession().getPeerCertificates().length, "the chain is leaf + CA");
            assertEquals(ca.certificate(), socket.getSession().getPeerCertificates()[1]);
            assertEquals("echo: hi alpn=http/1.1 sni=-", exchange(socket), "the JDK sends no SNI for a dotless name");
        }
    }

    @Test
    void aJdkClientVerifiesAnIpAddressLeaf() throws Exception {
        try (EchoServer server = new EchoServer(ca.serverContext("127.0.0.1"))) {
            SSLSocket socket = connect(TestTools.trusting(ca.certificate()), server.port(), "127.0.0.1", "TLSv1.3");

            assertEquals("echo: hi alpn=http/1.1 sni=-", exchange(socket));
        }
    }

    @Test
    void aLeafForAnotherHostFailsHostNameVerification() throws Exception {
        try (EchoServer server = new EchoServer(ca.serverContext("other.example"))) {
            assertThrows(SSLHandshakeException.class,
                    () -> connect(TestTools.trusting(ca.certificate()), server.port(), "localhost", "TLSv1.3"));
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCaRefusesTheLeaf() throws Exception {
        CertificateAuthority stranger = CertificateAuthority.loadOrCreate(tmp.resolve("stranger"));
        try (EchoServer server = new EchoServer(ca.serverContext("localhost"))) {
            assertThrows(SSLHandshakeException.class,
                    () -> connect(TestTools.trusting(stranger.certificate()), server.port(), "localhost", "TLSv1.3"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1"})
    void pythonsStrictDefaultContextAcceptsTheLeaf(String name) throws Exception {
        try (EchoServer server = new EchoServer(ca.serverContext(name))) {
            TestTools.Output out = TestTools.run(List.of(TestTools.PYTHON, "-c", STRICT_PYTHON_CLIENT,
                    tmp.resolve("ca/ca.pem").toString(), String.valueOf(server.port()), name), "");

            assertEquals(0, out.exit(), out.text());
            assertEquals("TLSv1.3 echo: hello alpn= sni=" + (name.equals("localhost") ? name : "-"), out.text().strip());
        }
    }

    static SSLSocket connect(SSLContext client, int port, String name, String protocol) throws IOException {
        Socket plain = new Socket(InetAddress.getLoopbackAddress(), port);
        SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(plain, name, port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setProtocols(new String[] {protocol});
        parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    static String exchange(SSLSocket socket) throws IOException {
        try (socket) {
            socket.getOutputStream().write("hi\n".getBytes(StandardCharsets.UTF_8));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }
}
