package dev.corral.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A test CA and server certificates signed by it, made with the {@code openssl} CLI: EC P-256,
 * valid for two days. Certificates are world-readable (sandboxed users read them); keys are not.
 */
final class TestCertificates {
    private final Path dir;
    private final Path ca;
    private int leaves;

    /** A new CA in {@code dir}, named {@code name}. */
    TestCertificates(Path dir, String name) {
        this.dir = dir;
        Path config = writePublic("ca.cnf", """
                [req]
                distinguished_name = dn
                [dn]
                [ca]
                basicConstraints = critical, CA:TRUE, pathlen:0
                keyUsage = critical, keyCertSign, cRLSign
                subjectKeyIdentifier = hash
                """);
        ca = dir.resolve("ca.pem");
        must("openssl", "req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", dir.resolve("ca.key").toString(), "-out", ca.toString(), "-days", "2", "-sha256",
                "-subj", "/O=Corral tests/CN=" + name, "-config", config.toString(), "-extensions", "ca");
        makePublic(ca);
    }

    /** The CA's certificate (PEM). */
    Path ca() {
        return ca;
    }

    /** A server certificate and key for {@code names} (IP literals become IP names): {@code [cert, key]}. */
    synchronized List<Path> leaf(List<String> names) {
        if (names.isEmpty()) throw new IllegalArgumentException("a certificate needs at least one name");
        int n = ++leaves;
        Path key = dir.resolve("server-" + n + ".key");
        Path csr = dir.resolve("server-" + n + ".csr");
        Path cert = dir.resolve("server-" + n + ".pem");
        List<String> alt = new ArrayList<>();
        for (String name : names) alt.add((isIpLiteral(name) ? "IP:" : "DNS:") + name);
        Path ext = writePublic("server-" + n + ".cnf", """
                [leaf]
                basicConstraints = critical, CA:FALSE
                keyUsage = critical, digitalSignature
                extendedKeyUsage = serverAuth
                subjectKeyIdentifier = hash
                authorityKeyIdentifier = keyid
                subjectAltName = %s
                """.formatted(String.join(", ", alt)));
        must("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/O=Corral tests/CN=" + names.getFirst());
        must("openssl", "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", dir.resolve("ca.key").toString(),
                "-set_serial", "0x" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE),
                "-days", "2", "-sha256", "-extfile", ext.toString(), "-extensions", "leaf", "-out", cert.toString());
        makePublic(cert);
        return List.of(cert, key);
    }

    static boolean isIpLiteral(String name) {
        return name.contains(":") || name.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    private Path writePublic(String name, String text) {
        return writePublic(dir.resolve(name), text);
    }

    /** Writes a file every user may read (sandboxed test users read configs and certificates). */
    static Path writePublic(Path file, String text) {
        try {
            Files.writeString(file, text, java.nio.charset.StandardCharsets.UTF_8);
            makePublic(file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void makePublic(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void must(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", argv) + " failed: " + out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
