package dev.corral.net.tls;

import dev.corral.support.Files2;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The files that make a sandbox trust the Corral CA, all world-readable (0644): the CA alone
 * ({@code corral-ca.pem}), the system bundle followed by the CA ({@code ca-bundle.pem}, for
 * OpenSSL, curl, Python, Node...), and the same certificates as a PKCS#12 trust store
 * ({@code truststore.p12}, password {@value #PASSWORD}, for Java).
 */
public record TrustFiles(Path caPem, Path bundlePem, Path truststore) {
    /** The trust store's password, the JDK's customary one: it protects nothing secret. */
    public static final String PASSWORD = "changeit";
    /** Debian's and Ubuntu's bundle of the system's trusted CAs. */
    public static final Path SYSTEM_BUNDLE = Path.of("/etc/ssl/certs/ca-certificates.crt");
    private static final String STAMP = ".trust-files.stamp";

    public TrustFiles {
        Objects.requireNonNull(caPem, "caPem");
        Objects.requireNonNull(bundlePem, "bundlePem");
        Objects.requireNonNull(truststore, "truststore");
    }

    /**
     * Writes the three files into {@code dir} (created if needed), each through a temporary file and
     * a rename. Cheap when nothing changed: a stamp records the system bundle's identity (inode,
     * size, modification time) and the CA's fingerprint, and while it matches the files are reused
     * untouched. A missing system bundle is tolerated: the bundle then holds the CA alone.
     *
     * @throws TlsException when the files can't be written
     */
    public static TrustFiles write(Path dir, CertificateAuthority ca, Path systemBundle) {
        TrustFiles files = new TrustFiles(dir.resolve("corral-ca.pem"), dir.resolve("ca-bundle.pem"), dir.resolve("truststore.p12"));
        try {
            Files.createDirectories(dir);
            String stamp = stamp(ca, systemBundle);
            Path stampFile = dir.resolve(STAMP);
            if (files.allExist() && stamp.equals(readStamp(stampFile))) return files;
            byte[] system = readIfPresent(systemBundle);
            ByteArrayOutputStream bundle = new ByteArrayOutputStream();
            bundle.writeBytes(system);
            if (system.length > 0 && system[system.length - 1] != '\n') bundle.write('\n');
            bundle.writeBytes(ca.certificatePem().getBytes(StandardCharsets.US_ASCII));
            Files2.writeAtomically(files.caPem(), ca.certificatePem().getBytes(StandardCharsets.US_ASCII), Files2.PUBLIC, true);
            Files2.writeAtomically(files.bundlePem(), bundle.toByteArray(), Files2.PUBLIC, true);
            List<X509Certificate> systemCertificates = Pem.certificatesLeniently(new String(system, StandardCharsets.ISO_8859_1));
            Files2.writeAtomically(files.truststore(), truststore(systemCertificates, ca.certificate()), Files2.PUBLIC, true);
            Files2.writeAtomically(stampFile, stamp.getBytes(StandardCharsets.UTF_8), Files2.PUBLIC, true);
            return files;
        } catch (IOException e) {
            throw new TlsException("cannot write the sandbox trust files in " + dir + ": " + TlsException.reason(e),
                    "check that " + dir + " is writable", e);
        } catch (GeneralSecurityException e) {
            throw new TlsException("cannot write the sandbox trust files in " + dir + ": " + e.getMessage(),
                    "check that " + dir + " is writable", e);
        }
    }

    private boolean allExist() {
        return Files.isRegularFile(caPem, LinkOption.NOFOLLOW_LINKS)
                && Files.isRegularFile(bundlePem, LinkOption.NOFOLLOW_LINKS)
                && Files.isRegularFile(truststore, LinkOption.NOFOLLOW_LINKS);
    }

    private static String stamp(CertificateAuthority ca, Path systemBundle) throws IOException, GeneralSecurityException {
        String fingerprint = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ca.certificate().getEncoded()));
        String bundle;
        try {
            BasicFileAttributes a = Files.readAttributes(systemBundle, BasicFileAttributes.class);
            bundle = a.fileKey() + " " + a.size() + " " + a.lastModifiedTime().toInstant();
        } catch (NoSuchFileException e) {
            bundle = "absent";
        }
        return "v1\nca " + fingerprint + "\nbundle " + systemBundle.toAbsolutePath() + " " + bundle + "\n";
    }

    private static String readStamp(Path stampFile) throws IOException {
        try {
            return Files.readString(stampFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        }
    }

    private static byte[] readIfPresent(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new byte[0];
        }
    }

    private static byte[] truststore(List<X509Certificate> system, X509Certificate ca) throws IOException, GeneralSecurityException {
        List<X509Certificate> all = new ArrayList<>(system);
        all.add(ca);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < all.size(); i++) {
            store.setCertificateEntry(i == all.size() - 1 ? "corral-ca" : "system-" + i, all.get(i));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.store(out, PASSWORD.toCharArray());
        return out.toByteArray();
    }
}
