package dev.corral.net.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;

/**
 * The per-user Corral CA: an EC P-256 root kept in a folder ({@code ca.pem}, {@code ca-key.pem}),
 * which issues short-lived leaf certificates so the egress proxy can terminate the sandbox's TLS.
 * Sandboxes trust it through {@link TrustFiles}. Thread-safe; leaves are cached per host in memory.
 */
public final class CertificateAuthority {
    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final Duration LEAF_LIFETIME = Duration.ofDays(30);
    private static final Duration RENEW_LEAF_BEFORE = Duration.ofDays(1);
    private static final int MAX_CACHED_HOSTS = 4096;

    private final X509Certificate certificate;
    private final PrivateKey key;
    private final byte[] keyId;
    /** One key for every leaf, made on first use (not while a launch waits for the CA). */
    private KeyPair leafKeys;
    private final String pem;
    private final Map<String, Leaf> leaves = new ConcurrentHashMap<>();

    private record Leaf(SSLContext context, Instant renewAfter) {
    }

    private CertificateAuthority(CaStore.Material material) throws GeneralSecurityException {
        this.certificate = material.certificate();
        this.key = material.key();
        this.keyId = Extensions.keyIdentifier(certificate.getPublicKey());
        this.pem = pemOf(certificate);
    }

    /**
     * Loads the CA kept in {@code dir}, creating the folder (0700) and the CA when absent. Safe when
     * several processes start at once: creation happens under a lock on {@code dir/.lock}.
     *
     * @throws TlsException when the files can't be read or created, or the key file is open to others
     */
    public static CertificateAuthority loadOrCreate(Path dir) {
        CaStore.Material material = CaStore.loadOrCreate(dir, CertificateAuthority::create);
        try {
            return new CertificateAuthority(material);
        } catch (GeneralSecurityException e) {
            throw new TlsException("cannot use the Corral CA in " + dir + ": " + e.getMessage(), "use a JDK with EC support", e);
        }
    }

    private synchronized KeyPair leafKeys() throws GeneralSecurityException {
        if (leafKeys == null) leafKeys = ecKeyPair();
        return leafKeys;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The CA certificate as one PEM block. */
    public String certificatePem() {
        return pem;
    }

    /**
     * A server context presenting a leaf for {@code host} (a DNS name or an IP literal) and the CA
     * behind it. The same context is returned for the same host until its leaf nears expiry.
     *
     * @throws IllegalArgumentException when {@code host} is not a host name or IP address
     */
    public SSLContext serverContext(String host) {
        String normalized = Hosts.normalize(host);
        Instant now = Instant.now();
        if (leaves.size() >= MAX_CACHED_HOSTS) leaves.clear();
        return leaves.compute(normalized, (h, old) -> old != null && now.isBefore(old.renewAfter()) ? old : newLeaf(h, now))
                .context();
    }

    /** Issues a leaf certificate for the host, valid from an hour ago for 30 days (within the CA's life). */
    X509Certificate issue(String host, Instant now) throws GeneralSecurityException {
        String h = Hosts.normalize(host);
        Instant caExpiry = certificate.getNotAfter().toInstant();
        Instant notAfter = now.plus(LEAF_LIFETIME).isBefore(caExpiry) ? now.plus(LEAF_LIFETIME) : caExpiry;
        byte[] subject = CertificateTemplate.name(h);
        boolean noSubject = subject.length == 2;
        List<byte[]> extensions = List.of(
                Extensions.basicConstraintsEndEntity(),
                Extensions.keyUsage(Extensions.DIGITAL_SIGNATURE),
                Extensions.extendedKeyUsageServerAuth(),
                Extensions.subjectAltName(h, noSubject),
                Extensions.subjectKeyIdentifier(Extensions.keyIdentifier(leafKeys().getPublic())),
                Extensions.authorityKeyIdentifier(keyId));
        return new CertificateTemplate(certificate.getSubjectX500Principal().getEncoded(), subject, leafKeys().getPublic(),
                now.minus(BACKDATE), notAfter, extensions).sign(key);
    }

    private Leaf newLeaf(String host, Instant now) {
        try {
            X509Certificate leaf = issue(host, now);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new LeafKeyManager(leafKeys().getPrivate(), leaf, certificate)}, null, null);
            return new Leaf(context, leaf.getNotAfter().toInstant().minus(RENEW_LEAF_BEFORE));
        } catch (GeneralSecurityException e) {
            throw new TlsException("cannot issue a certificate for " + host + ": " + e.getMessage(), "use a JDK with EC support", e);
        }
    }

    private static CaStore.Material create() throws GeneralSecurityException {
        KeyPair keys = ecKeyPair();
        Instant now = Instant.now();
        byte[] name = CertificateTemplate.name("Corral", "Corral sandbox CA (" + owner() + ")");
        byte[] id = Extensions.keyIdentifier(keys.getPublic());
        List<byte[]> extensions = List.of(
                Extensions.basicConstraintsCa(0),
                Extensions.keyUsage(Extensions.DIGITAL_SIGNATURE, Extensions.KEY_CERT_SIGN, Extensions.CRL_SIGN),
                Extensions.subjectKeyIdentifier(id),
                Extensions.authorityKeyIdentifier(id));
        Instant notBefore = now.minus(BACKDATE);
        Instant notAfter = notBefore.atZone(ZoneOffset.UTC).plusYears(10).toInstant();
        X509Certificate certificate = new CertificateTemplate(name, name, keys.getPublic(), notBefore, notAfter, extensions)
                .sign(keys.getPrivate());
        return new CaStore.Material(certificate, keys.getPrivate());
    }

    /** {@code user@hostname}, cut so the common name stays within the 64 characters X.509 allows. */
    private static String owner() {
        String hostname;
        try {
            hostname = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            hostname = "localhost";
        }
        String owner = System.getProperty("user.name", "user") + "@" + hostname;
        return owner.length() > 44 ? owner.substring(0, 44) : owner;
    }

    private static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    static String pemOf(X509Certificate certificate) {
        try {
            return Pem.encode("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode " + certificate.getSubjectX500Principal(), e);
        }
    }
}
