package dev.corral.net.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS from the proxy to the real servers: trust the JDK's CAs, the system's and any the user adds
 * (a corporate proxy's CA, say), verify the host name, and speak HTTP/1.1.
 */
public final class UpstreamTls {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private UpstreamTls() {
    }

    /**
     * A client context trusting the JDK's default trust store (cacerts), the system bundle
     * {@code /etc/ssl/certs/ca-certificates.crt} when present, and every PEM certificate in
     * {@code extraCaFiles}. Build it once and share it: it is thread-safe.
     *
     * @throws IllegalArgumentException naming the first extra file that can't be read or holds no valid certificate
     */
    public static SSLContext context(List<Path> extraCaFiles) {
        return context(extraCaFiles, TrustFiles.SYSTEM_BUNDLE);
    }

    static SSLContext context(List<Path> extraCaFiles, Path systemBundle) {
        KeyStore anchors = anchors(extraCaFiles, systemBundle);
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new TlsException("cannot set up TLS to upstream servers: " + e.getMessage(), "check the JDK's security settings", e);
        }
    }

    /** The trusted certificates: the JDK's, then the system bundle's, then the extra files'. */
    static KeyStore anchors(List<Path> extraCaFiles, Path systemBundle) {
        List<List<X509Certificate>> extra = extraCaFiles.stream().map(UpstreamTls::readExtra).toList();
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            int n = 0;
            for (X509Certificate c : jdkDefaults()) anchors.setCertificateEntry("jdk-" + n++, c);
            if (Files.isReadable(systemBundle)) {
                String text = Files.readString(systemBundle, StandardCharsets.ISO_8859_1);
                for (X509Certificate c : Pem.certificatesLeniently(text)) anchors.setCertificateEntry("system-" + n++, c);
            }
            for (List<X509Certificate> file : extra) {
                for (X509Certificate c : file) anchors.setCertificateEntry("extra-" + n++, c);
            }
            return anchors;
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsException("cannot read the trusted CAs: " + e.getMessage(), "check the JDK's cacerts and " + systemBundle, e);
        }
    }

    /**
     * Layers TLS over {@code connectedPlainSocket} (already connected to {@code host}), sending SNI
     * for a host name, offering only ALPN "http/1.1", verifying the chain and the host name (HTTPS
     * rules), and completing the handshake. Closing the returned socket closes the plain one; on
     * failure the plain socket is closed too.
     *
     * @param port used only to identify the session (for resumption)
     * @throws IOException when the handshake or the verification fails
     */
    public static SSLSocket connect(SSLContext ctx, Socket connectedPlainSocket, String host, int port) throws IOException {
        String h;
        try {
            h = Hosts.normalize(host);
        } catch (IllegalArgumentException e) {
            connectedPlainSocket.close();
            throw new IOException(e.getMessage(), e);
        }
        SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket(connectedPlainSocket, h, port, true);
        try {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setProtocols(PROTOCOLS);
            parameters.setServerNames(Hosts.ipLiteral(h).isPresent() ? List.of() : sniFor(h));
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            parameters.setApplicationProtocols(new String[] {"http/1.1"});
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static List<SNIServerName> sniFor(String host) {
        try {
            return List.of(new SNIHostName(host));
        } catch (IllegalArgumentException e) {
            return List.of(); // a name SNI can't carry (an underscore, say): verification still applies
        }
    }

    private static List<X509Certificate> readExtra(Path file) {
        List<X509Certificate> certificates;
        try {
            certificates = Pem.certificates(Files.readString(file, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read CA file " + file + ": " + TlsException.why(e), e);
        } catch (CertificateException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read CA file " + file + ": " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) throw new IllegalArgumentException("no PEM certificate in CA file " + file);
        return certificates;
    }

    private static X509Certificate[] jdkDefaults() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) return x509.getAcceptedIssuers();
        }
        throw new GeneralSecurityException("the JDK has no default X.509 trust manager");
    }
}
