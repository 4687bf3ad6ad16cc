package dev.corral.net.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustFilesTest {
    private static final FileTime LONG_AGO = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
    @TempDir
    static Path shared;
    static CertificateAuthority ca;
    static CertificateAuthority other1;
    static CertificateAuthority other2;
    @TempDir
    Path tmp;

    @BeforeAll
    static void createCas() {
        ca = CertificateAuthority.loadOrCreate(shared.resolve("ca"));
        other1 = CertificateAuthority.loadOrCreate(shared.resolve("other1"));
        other2 = CertificateAuthority.loadOrCreate(shared.resolve("other2"));
    }

    private Path systemBundle(CertificateAuthority... cas) throws Exception {
        StringBuilder text = new StringBuilder("# a system bundle\n");
        for (CertificateAuthority c : cas) text.append(c.certificatePem());
        return Files.writeString(tmp.resolve("system.crt"), text);
    }

    private static List<Certificate> trusted(Path truststore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(truststore)) {
            store.load(in, TrustFiles.PASSWORD.toCharArray());
        }
        List<Certificate> certificates = new ArrayList<>();
        for (String alias : Collections.list(store.aliases())) {
            assertTrue(store.isCertificateEntry(alias), alias + " is a trusted certificate entry");
            certificates.add(store.getCertificate(alias));
        }
        return certificates;
    }

    @Test
    void writesTheCaTheBundleAndATrustStoreAllReadableByAll() throws Exception {
        Path system = systemBundle(other1, other2);

        TrustFiles files = TrustFiles.write(tmp.resolve("trust"), ca, system);

        assertEquals(tmp.resolve("trust/corral-ca.pem"), files.caPem());
        assertEquals(ca.certificatePem(), Files.readString(files.caPem()));
        assertEquals(Files.readString(system) + ca.certificatePem(), Files.readString(files.bundlePem()));
        List<Certificate> trusted = trusted(files.truststore());
        assertEquals(3, trusted.size());
        assertTrue(trusted.containsAll(List.of(ca.certificate(), other1.certificate(), other2.certificate())));
        for (Path p : List.of(files.caPem(), files.bundlePem(), files.truststore())) {
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
        }
    }

    @Test
    void theRealSystemBundleEndsUpWholeInBothFormats() throws Exception {
        Path system = TrustFiles.SYSTEM_BUNDLE;
        int count = Pem.certificatesLeniently(Files.readString(system)).size();
        assertTrue(count > 50, "Debian's bundle is installed here");

        TrustFiles files = TrustFiles.write(tmp, ca, system);

        assertEquals(count + 1, trusted(files.truststore()).size());
        assertTrue(Files.readString(files.bundlePem()).startsWith(Files.readString(system)));
    }

    @Test
    void aSecondCallReusesTheFilesUntouched() throws Exception {
        Path system = systemBundle(other1);
        TrustFiles files = TrustFiles.write(tmp, ca, system);
        List<Object> inodes = new ArrayList<>();
        for (Path p : List.of(files.caPem(), files.bundlePem(), files.truststore())) {
            Files.setLastModifiedTime(p, LONG_AGO);
            inodes.add(Files.getAttribute(p, "unix:ino"));
        }

        TrustFiles again = TrustFiles.write(tmp, ca, system);

        assertEquals(files, again);
        for (Path p : List.of(files.caPem(), files.bundlePem(), files.truststore())) {
            assertEquals(LONG_AGO, Files.getLastModifiedTime(p), p + " was not rewritten");
        }
        assertEquals(inodes, List.of(Files.getAttribute(files.caPem(), "unix:ino"),
                Files.getAttribute(files.bundlePem(), "unix:ino"), Files.getAttribute(files.truststore(), "unix:ino")));
    }

    @Test
    void aChangedSystemBundleIsPickedUp() throws Exception {
        Path system = systemBundle(other1);
        TrustFiles files = TrustFiles.write(tmp, ca, system);
        Files.setLastModifiedTime(files.bundlePem(), LONG_AGO);

        systemBundle(other1, other2);
        TrustFiles.write(tmp, ca, system);

        assertNotEquals(LONG_AGO, Files.getLastModifiedTime(files.bundlePem()));
        assertTrue(Files.readString(files.bundlePem()).contains(other2.certificatePem()));
        assertEquals(3, trusted(files.truststore()).size());
    }

    @Test
    void anotherCaIsPickedUp() throws Exception {
        Path system = systemBundle(other1);
        TrustFiles files = TrustFiles.write(tmp, ca, system);

        TrustFiles.write(tmp, other2, system);

        assertEquals(other2.certificatePem(), Files.readString(files.caPem()));
        assertTrue(trusted(files.truststore()).contains(other2.certificate()));
        assertTrue(!trusted(files.truststore()).contains(ca.certificate()));
    }

    @Test
    void aMissingSystemBundleLeavesTheCaAloneUntilOneAppears() throws Exception {
        Path system = tmp.resolve("absent.crt");
        TrustFiles files = TrustFiles.write(tmp.resolve("trust"), ca, system);

        assertEquals(ca.certificatePem(), Files.readString(files.bundlePem()));
        assertEquals(List.of(ca.certificate()), trusted(files.truststore()));

        Files.writeString(system, other1.certificatePem().strip());
        TrustFiles.write(tmp.resolve("trust"), ca, system);

        assertEquals(other1.certificatePem() + ca.certificatePem(), Files.readString(files.bundlePem()), "a newline is added");
        assertEquals(2, trusted(files.truststore()).size());
    }

    @Test
    void aDeletedTrustFileIsWrittenAgain() throws Exception {
        Path system = systemBundle(other1);
        TrustFiles files = TrustFiles.write(tmp, ca, system);
        Files.delete(files.truststore());

        TrustFiles.write(tmp, ca, system);

        assertEquals(2, trusted(files.truststore()).size());
    }
}
