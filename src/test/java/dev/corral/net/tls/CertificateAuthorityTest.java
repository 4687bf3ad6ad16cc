package dev.corral.net.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.ECPublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {
    @TempDir
    Path tmp;

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void createsAPrivateFolderAPrivateKeyFileAndAPublicCertificate() throws IOException {
        Path dir = tmp.resolve("config/corral/ca");

        CertificateAuthority ca = CertificateAuthority.loadOrCreate(dir);

        assertEquals("rwx------", mode(dir));
        assertEquals("rw-------", mode(dir.resolve("ca-key.pem")));
        assertEquals("rw-r--r--", mode(dir.resolve("ca.pem")));
        assertEquals(ca.certificatePem(), Files.readString(dir.resolve("ca.pem")));
        assertTrue(Files.readString(dir.resolve("ca-key.pem")).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        try (var files = Files.list(dir)) {
            assertEquals(Set.of("ca.pem", "ca-key.pem", ".lock"),
                    files.map(f -> f.getFileName().toString()).collect(Collectors.toSet()), "no temporary file is left");
        }
    }

    @Test
    void loadingAgainReturnsTheSameCertificate() {
        CertificateAuthority first = CertificateAuthority.loadOrCreate(tmp);
        CertificateAuthority second = CertificateAuthority.loadOrCreate(tmp);

        assertEquals(first.certificate(), second.certificate());
        assertEquals(first.certificatePem(), second.certificatePem());
    }

    @Test
    void aKeyFileOthersCanReadIsRefusedWithTheChmodFix() throws IOException {
        CertificateAuthority.loadOrCreate(tmp);
        Path key = tmp.resolve("ca-key.pem");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));

        TlsException e = assertThrows(TlsException.class, () -> CertificateAuthority.loadOrCreate(tmp));

        assertTrue(e.getMessage().contains(key.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertEquals("chmod 600 " + key, e.fix().orElseThrow());
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefused() throws IOException {
        Path other = tmp.resolve("other");
        CertificateAuthority.loadOrCreate(tmp.resolve("mine"));
        CertificateAuthority.loadOrCreate(other);
        Files.copy(other.resolve("ca-key.pem"), tmp.resolve("mine/ca-key.pem"), StandardCopyOption.REPLACE_EXISTING);

        TlsException e = assertThrows(TlsException.class, () -> CertificateAuthority.loadOrCreate(tmp.resolve("mine")));

        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
    }

    @Test
    void theCaIsARootThatOnlySignsLeaves() throws Exception {
        X509Certificate c = CertificateAuthority.loadOrCreate(tmp).certificate();
        Instant now = Instant.now();

        assertEquals(3, c.getVersion());
        assertEquals(0, c.getBasicConstraints(), "CA:true, pathLen:0");
        boolean[] usage = c.getKeyUsage();
        assertTrue(usage[0] && usage[5] && usage[6], "digitalSignature, keyCertSign, cRLSign");
        assertFalse(usage[1] || usage[2] || usage[3] || usage[4]);
        assertTrue(c.getCriticalExtensionOIDs().containsAll(Set.of("2.5.29.19", "2.5.29.15")));
        assertTrue(c.getNonCriticalExtensionOIDs().contains("2.5.29.14"), "subjectKeyIdentifier");
        String subject = c.getSubjectX500Principal().getName();
        assertTrue(subject.startsWith("CN=Corral sandbox CA (" + System.getProperty("user.name") + "@"), subject);
        assertTrue(subject.endsWith(",O=Corral"), subject);
        assertEquals(c.getSubjectX500Principal(), c.getIssuerX500Principal());
        assertTrue(c.getSerialNumber().signum() > 0 && c.getSerialNumber().bitLength() <= 128);
        assertTrue(Duration.between(c.getNotBefore().toInstant(), now).compareTo(Duration.ofMinutes(59)) > 0);
        long days = Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant()).toDays();
        assertTrue(days >= 3652 && days <= 3653, "ten years: " + days);
        assertEquals("SHA256withECDSA", c.getSigAlgName());
        assertEquals(256, ((ECPublicKey) c.getPublicKey()).getParams().getCurve().getField().getFieldSize());
        c.verify(c.getPublicKey());
    }

    @Test
    void eachCaHasItsOwnKeyAndSerial() {
        X509Certificate a = CertificateAuthority.loadOrCreate(tmp.resolve("a")).certificate();
        X509Certificate b = CertificateAuthority.loadOrCreate(tmp.resolve("b")).certificate();

        assertNotEquals(a.getSerialNumber(), b.getSerialNumber());
        assertNotEquals(a.getPublicKey(), b.getPublicKey());
    }

    @Test
    void threadsCreatingTheCaAtOnceAgreeOnOne() throws Exception {
        Path dir = tmp.resolve("ca");
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<X509Certificate>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) results.add(pool.submit(() -> CertificateAuthority.loadOrCreate(dir).certificate()));
            Set<X509Certificate> distinct = results.stream().map(TestTools::get).collect(Collectors.toSet());
            assertEquals(1, distinct.size());
        }
    }

    @Test
    void processesCreatingTheCaAtOnceAgreeOnOne() throws Exception {
        Path dir = tmp.resolve("ca");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                processes.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                        CaCreatorMain.class.getName(), dir.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start());
            }
            List<BufferedReader> outputs = new ArrayList<>();
            for (Process p : processes) {
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("ready", out.readLine());
                outputs.add(out);
            }
            for (Process p : processes) {
                p.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
                p.getOutputStream().flush();
            }
            Set<String> fingerprints = outputs.stream().map(o -> TestTools.get(o::readLine)).collect(Collectors.toSet());
            assertEquals(1, fingerprints.size(), fingerprints.toString());
            assertFalse(fingerprints.contains(null));
            for (Process p : processes) assertEquals(0, p.waitFor());
            assertEquals(fingerprints.iterator().next(), TestTools.fingerprint(CertificateAuthority.loadOrCreate(dir).certificate()));
        } finally {
            processes.forEach(Process::destroyForcibly);
        }
    }

    @Test
    void serverContextsAreCachedPerNormalisedHost() {
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(tmp);

        assertSame(ca.serverContext("example.org"), ca.serverContext("Example.ORG."));
        assertNotEquals(ca.serverContext("example.org"), ca.serverContext("example.com"));
        assertSame(ca.serverContext("::1"), ca.serverContext("[::1]"));
    }

    @Test
    void leavesForDifferentHostsShareTheLeafKeyButNotTheSerial() throws Exception {
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(tmp);
        X509Certificate a = ca.issue("a.example", Instant.now());
        X509Certificate b = ca.issue("b.example", Instant.now());

        assertArrayEquals(a.getPublicKey().getEncoded(), b.getPublicKey().getEncoded());
        assertNotEquals(a.getSerialNumber(), b.getSerialNumber());
    }
}
