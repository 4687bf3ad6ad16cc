package dev.corral.net.tls;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Optional;

/** The X.509 v3 extensions Corral's certificates carry (RFC 5280 4.2), each as an encoded Extension. */
final class Extensions {
    static final int DIGITAL_SIGNATURE = 0;
    static final int KEY_CERT_SIGN = 5;
    static final int CRL_SIGN = 6;

    private Extensions() {
    }

    static byte[] basicConstraintsCa(int pathLength) {
        return extension("2.5.29.19", true, Der.sequence(Der.bool(true), Der.integer(pathLength)));
    }

    static byte[] basicConstraintsEndEntity() {
        return extension("2.5.29.19", true, Der.sequence());
    }

    static byte[] keyUsage(int... bits) {
        return extension("2.5.29.15", true, Der.namedBits(bits));
    }

    static byte[] extendedKeyUsageServerAuth() {
        return extension("2.5.29.37", false, Der.sequence(Der.oid("1.3.6.1.5.5.7.3.1")));
    }

    static byte[] subjectKeyIdentifier(byte[] keyId) {
        return extension("2.5.29.14", false, Der.octetString(keyId));
    }

    static byte[] authorityKeyIdentifier(byte[] keyId) {
        return extension("2.5.29.35", false, Der.sequence(Der.implicit(0, keyId)));
    }

    /** One dNSName (IA5String, implicitly tagged), or one iPAddress for an IP literal. */
    static byte[] subjectAltName(String host, boolean critical) {
        Optional<InetAddress> ip = Hosts.ipLiteral(host);
        byte[] name = ip.isPresent()
                ? Der.implicit(7, ip.get().getAddress())
                : Der.implicit(2, host.getBytes(StandardCharsets.US_ASCII));
        return extension("2.5.29.17", critical, Der.sequence(name));
    }

    /** RFC 5280 4.2.1.2 method 1: the SHA-1 of the subjectPublicKey bits. */
    static byte[] keyIdentifier(PublicKey key) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(subjectPublicKeyBits(key.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }

    static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical
                ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
                : Der.sequence(Der.oid(oid), Der.octetString(value));
    }

    /** The content of the BIT STRING in a SubjectPublicKeyInfo, without its unused-bits octet. */
    static byte[] subjectPublicKeyBits(byte[] spki) {
        int[] outer = header(spki, 0, 0x30);
        int[] algorithm = header(spki, outer[0], 0x30);
        int[] bits = header(spki, algorithm[0] + algorithm[1], 0x03);
        if (bits[1] < 1 || bits[0] + bits[1] > spki.length || spki[bits[0]] != 0) {
            throw new IllegalArgumentException("unexpected SubjectPublicKeyInfo");
        }
        return Arrays.copyOfRange(spki, bits[0] + 1, bits[0] + bits[1]);
    }

    /** Reads the tag and length at {@code at}: returns {content offset, content length}. */
    private static int[] header(byte[] der, int at, int tag) {
        if (at + 2 > der.length || (der[at] & 0xff) != tag) throw new IllegalArgumentException("unexpected SubjectPublicKeyInfo");
        int first = der[at + 1] & 0xff;
        if (first < 0x80) return new int[] {at + 2, first};
        int size = first & 0x7f;
        if (size < 1 || size > 3 || at + 2 + size > der.length) throw new IllegalArgumentException("unexpected SubjectPublicKeyInfo");
        int length = 0;
        for (int i = 0; i < size; i++) length = (length << 8) | (der[at + 2 + i] & 0xff);
        return new int[] {at + 2 + size, length};
    }
}
