package dev.corral.net.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The fields of an X.509 v3 certificate that Corral chooses; {@link #sign} adds a random serial and
 * an ECDSA-with-SHA-256 signature by the issuer's key.
 *
 * @param issuer the issuer's encoded Name
 * @param subject the subject's encoded Name (an empty SEQUENCE for none)
 * @param publicKey the subject's key
 * @param extensions encoded Extension elements, in order
 */
record CertificateTemplate(byte[] issuer, byte[] subject, PublicKey publicKey, Instant notBefore, Instant notAfter,
                           List<byte[]> extensions) {
    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final SecureRandom RANDOM = new SecureRandom();

    CertificateTemplate {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(publicKey, "publicKey");
        if (!notBefore.isBefore(notAfter)) throw new IllegalArgumentException("notBefore must precede notAfter");
        extensions = List.copyOf(extensions);
    }

    /** A Name of one organization and one common name, both UTF8String (RFC 5280 4.1.2.4). */
    static byte[] name(String organization, String commonName) {
        return Der.sequence(
                Der.set(Der.sequence(Der.oid("2.5.4.10"), Der.utf8String(organization))),
                Der.set(Der.sequence(Der.oid("2.5.4.3"), Der.utf8String(commonName))));
    }

    /** A Name with only a common name; empty when the name is longer than the 64 characters CN allows. */
    static byte[] name(String commonName) {
        if (commonName.length() > 64) return Der.sequence();
        return Der.sequence(Der.set(Der.sequence(Der.oid("2.5.4.3"), Der.utf8String(commonName))));
    }

    /** A positive serial of 16 random bytes (the top bit cleared, so it stays 16 bytes in DER). */
    static BigInteger randomSerial() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        bytes[0] = (byte) ((bytes[0] & 0x7f) | 0x01);
        return new BigInteger(1, bytes);
    }

    X509Certificate sign(PrivateKey issuerKey) throws GeneralSecurityException {
        byte[] algorithm = Der.sequence(Der.oid(ECDSA_WITH_SHA256));
        byte[] tbs = Der.sequence(
                Der.explicit(0, Der.integer(2)),
                Der.integer(randomSerial()),
                algorithm,
                issuer,
                Der.sequence(Der.time(notBefore), Der.time(notAfter)),
                subject,
                publicKey.getEncoded(),
                Der.explicit(3, Der.sequence(extensions.toArray(byte[][]::new))));
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(issuerKey);
        signer.update(tbs);
        return Pem.certificate(Der.sequence(tbs, algorithm, Der.bitString(signer.sign())));
    }
}
