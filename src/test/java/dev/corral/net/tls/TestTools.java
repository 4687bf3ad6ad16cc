package dev.corral.net.tls;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Helpers the TLS tests share: running openssl and python, trust-only client contexts. */
final class TestTools {
    static final String PYTHON = "/usr/bin/python3";

    private TestTools() {
    }

    /** What a finished process printed (stdout and stderr together) and its exit status. */
    record Output(int exit, String text) {
    }

    static Output run(List<String> command, String stdin) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("timed out: " + command);
        }
        return new Output(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** The value of a future or a call, any exception rethrown unchecked (for streams in tests). */
    static <T> T get(Future<T> future) {
        return get(() -> future.get(60, TimeUnit.SECONDS));
    }

    static <T> T get(Callable<T> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String fingerprint(X509Certificate certificate) throws GeneralSecurityException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    }

    static Path writePem(Path file, X509Certificate... certificates) throws IOException {
        StringBuilder text = new StringBuilder();
        for (X509Certificate c : certificates) text.append(CertificateAuthority.pemOf(c));
        Files.writeString(file, text);
        return file;
    }

    /** A client context that trusts only the given certificates. */
    static SSLContext trusting(X509Certificate... anchors) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < anchors.length; i++) store.setCertificateEntry("anchor-" + i, anchors[i]);
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
