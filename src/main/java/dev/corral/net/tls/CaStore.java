package dev.corral.net.tls;

import dev.corral.support.Files2;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The CA's two files in its folder, created once under a file lock so that concurrent Corral
 * processes (and threads) agree on one CA: {@code ca.pem} (0644) and {@code ca-key.pem} (PKCS#8, 0600).
 */
final class CaStore {
    static final String CERTIFICATE = "ca.pem";
    static final String KEY = "ca-key.pem";
    private static final Duration RENEW_BEFORE = Duration.ofDays(31);
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    /** File locks are per process; threads of this one queue here first. */
    private static final Object IN_PROCESS = new Object();

    /** A CA certificate and its private key. */
    record Material(X509Certificate certificate, PrivateKey key) {
    }

    /** Makes new CA material. */
    interface Factory {
        Material create() throws GeneralSecurityException;
    }

    private CaStore() {
    }

    /** Loads the CA from {@code dir}, or creates it there when absent (or expiring within a month). */
    static Material loadOrCreate(Path dir, Factory factory) {
        synchronized (IN_PROCESS) {
            try {
                Files2.createPrivateDirectories(dir.toAbsolutePath());
                try (FileChannel channel = FileChannel.open(dir.resolve(".lock"),
                        Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(Files2.PRIVATE)))) {
                    channel.lock(); // released when the channel closes
                    Path certificate = dir.resolve(CERTIFICATE);
                    Path key = dir.resolve(KEY);
                    if (Files.exists(certificate, LinkOption.NOFOLLOW_LINKS) && Files.exists(key, LinkOption.NOFOLLOW_LINKS)) {
                        Material material = load(certificate, key);
                        if (material.certificate().getNotAfter().toInstant().isAfter(Instant.now().plus(RENEW_BEFORE))) {
                            return material;
                        }
                    }
                    return create(certificate, key, factory);
                }
            } catch (IOException e) {
                throw new TlsException("cannot create or read the Corral CA in " + dir + ": " + TlsException.reason(e),
                        "check that " + dir + " is a folder you own and can write", e);
            } catch (GeneralSecurityException e) {
                throw new TlsException("cannot create the Corral CA: " + e.getMessage(), "use a JDK with EC (secp256r1) support", e);
            }
        }
    }

    private static Material create(Path certificate, Path key, Factory factory) throws IOException, GeneralSecurityException {
        Material material = factory.create();
        Files2.writeAtomically(key, Pem.encode("PRIVATE KEY", material.key().getEncoded()).getBytes(StandardCharsets.US_ASCII),
                Files2.PRIVATE, true);
        Files2.writeAtomically(certificate, Pem.encode("CERTIFICATE", material.certificate().getEncoded())
                .getBytes(StandardCharsets.US_ASCII), Files2.PUBLIC, true);
        return material;
    }

    private static Material load(Path certificateFile, Path keyFile) throws IOException {
        checkPrivate(keyFile);
        String fix = "delete " + certificateFile + " and " + keyFile + " to make a new CA";
        X509Certificate certificate;
        PrivateKey key;
        try {
            List<X509Certificate> certificates = Pem.certificates(Files.readString(certificateFile, StandardCharsets.ISO_8859_1));
            if (certificates.size() != 1) throw new IllegalArgumentException("expected one certificate, found " + certificates.size());
            certificate = certificates.getFirst();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new TlsException("cannot read the Corral CA certificate " + certificateFile + ": " + e.getMessage(), fix, e);
        }
        try {
            List<byte[]> keys = Pem.blocks(Files.readString(keyFile, StandardCharsets.ISO_8859_1), "PRIVATE KEY");
            if (keys.size() != 1) throw new IllegalArgumentException("expected one PRIVATE KEY block, found " + keys.size());
            key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(keys.getFirst()));
            if (!matches(certificate, key)) throw new IllegalArgumentException("the key does not belong to " + certificateFile);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new TlsException("cannot read the Corral CA key " + keyFile + ": " + e.getMessage(), fix, e);
        }
        return new Material(certificate, key);
    }

    /** Refuses a key file that is a link, not a regular file, or open to group or others. */
    private static void checkPrivate(Path keyFile) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(keyFile, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isRegularFile()) {
            throw new TlsException("refusing the CA key " + keyFile + ": it is not a regular file",
                    "delete it and its ca.pem to make a new CA");
        }
        if (attributes.permissions().stream().anyMatch(GROUP_OR_OTHERS::contains)) {
            throw new TlsException("refusing the CA key " + keyFile + ": group or others can access it (chmod 600 " + keyFile + ")",
                    "chmod 600 " + keyFile);
        }
    }

    private static boolean matches(X509Certificate certificate, PrivateKey key) throws GeneralSecurityException {
        byte[] probe = "corral-ca-key-check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(probe);
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(probe);
        return verifier.verify(signer.sign());
    }
}
