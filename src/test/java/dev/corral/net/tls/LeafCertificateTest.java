package dev.corral.net.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LeafCertificateTest {
    private static final String LONG_HOST = "a-rather-long-label-that-goes-on.and-on-past-sixty-four-characters.example.org";
    @TempDir
    static Path tmp;
    static CertificateAuthority ca;
    static Path caPem;

    @BeforeAll
    static void createCa() throws Exception {
        ca = CertificateAuthority.loadOrCreate(tmp.resolve("ca"));
        caPem = tmp.resolve("ca/ca.pem");
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.org", "localhost", "api.github.com", LONG_HOST})
    void leavesForNamesPassOpensslStrictVerification(String host) throws Exception {
        Path leaf = TestTools.writePem(tmp.resolve(host + ".pem"), ca.issue(host, Instant.now()));

        TestTools.Output out = TestTools.run(List.of("openssl", "verify", "-x509_strict", "-purpose", "sslserver",
                "-CAfile", caPem.toString(), "-verify_hostname", host, leaf.toString()), "");

        assertEquals(0, out.exit(), out.text());
        assertEquals(leaf + ": OK", out.text().strip());
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1", "10.1.2.3", "2001:db8::5"})
    void leavesForIpAddressesPassOpensslStrictVerification(String ip) throws Exception {
        Path leaf = TestTools.writePem(tmp.resolve(ip.replace(':', '_') + ".pem"), ca.issue(ip, Instant.now()));

        TestTools.Output out = TestTools.run(List.of("openssl", "verify", "-x509_strict", "-purpose", "sslserver",
                "-CAfile", caPem.toString(), "-verify_ip", ip, leaf.toString()), "");

        assertEquals(0, out.exit(), out.text());
    }

    @Test
    void opensslRefusesALeafForAnotherHost() throws Exception {
        Path leaf = TestTools.writePem(tmp.resolve("other.pem"), ca.issue("other.example", Instant.now()));

        TestTools.Output out = TestTools.run(List.of("openssl", "verify", "-x509_strict", "-CAfile", caPem.toString(),
                "-verify_hostname", "example.org", leaf.toString()), "");

        assertNotEquals(0, out.exit(), out.text());
    }

    @Test
    void aLeafCarriesWhatStrictClientsRequire() throws Exception {
        Instant now = Instant.now();
        X509Certificate leaf = ca.issue("Example.ORG", now);

        assertEquals("CN=example.org", leaf.getSubjectX500Principal().getName());
        assertEquals(ca.certificate().getSubjectX500Principal(), leaf.getIssuerX500Principal());
        assertEquals(List.of(List.of(2, "example.org")), sans(leaf));
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), leaf.getExtendedKeyUsage());
        assertEquals(-1, leaf.getBasicConstraints());
        boolean[] usage = leaf.getKeyUsage();
        assertTrue(usage[0]);
        for (int i = 1; i < usage.length; i++) assertTrue(!usage[i], "only digitalSignature");
        assertTrue(leaf.getCriticalExtensionOIDs().containsAll(List.of("2.5.29.15", "2.5.29.19")));
        byte[] aki = leaf.getExtensionValue("2.5.29.35");
        byte[] caSki = ca.certificate().getExtensionValue("2.5.29.14");
        byte[] caKeyId = Arrays.copyOfRange(caSki, caSki.length - 20, caSki.length);
        assertTrue(Arrays.equals(caKeyId, Arrays.copyOfRange(aki, aki.length - 20, aki.length)), "AKI names the CA's key");
        assertTrue(leaf.getExtensionValue("2.5.29.14") != null, "SKI");
        Duration backdated = Duration.between(leaf.getNotBefore().toInstant(), now);
        assertTrue(backdated.compareTo(Duration.ofHours(1)) >= 0 && backdated.compareTo(Duration.ofHours(1).plusSeconds(1)) < 0);
        assertEquals(Duration.ofDays(30).plusHours(1).toHours(),
                Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()).toHours());
        leaf.verify(ca.certificate().getPublicKey());
    }

    @Test
    void anIpLeafNamesTheAddressNotADnsName() throws Exception {
        assertEquals(List.of(List.of(7, "127.0.0.1")), sans(ca.issue("127.0.0.1", Instant.now())));
        assertEquals(List.of(List.of(7, "0:0:0:0:0:0:0:1")), sans(ca.issue("[::1]", Instant.now())));
    }

    @Test
    void aHostTooLongForACommonNameGetsAnEmptySubjectAndACriticalAltName() throws Exception {
        X509Certificate leaf = ca.issue(LONG_HOST, Instant.now());

        assertEquals("", leaf.getSubjectX500Principal().getName());
        assertTrue(leaf.getCriticalExtensionOIDs().contains("2.5.29.17"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "*.example.org", "a b", "é.example", "a..b", "-", ".", "a/b", "999.1.1.1", "exa:mple", "a\nb"})
    void thingsThatAreNotHostNamesAreRefused(String host) {
        assertThrows(IllegalArgumentException.class, () -> ca.serverContext(host));
    }

    private static List<List<?>> sans(X509Certificate leaf) throws Exception {
        return new ArrayList<>(leaf.getSubjectAlternativeNames());
    }
}
