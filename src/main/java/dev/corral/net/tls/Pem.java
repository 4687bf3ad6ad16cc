package dev.corral.net.tls;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** PEM text: writing one block, reading the blocks of one type. */
final class Pem {
    private Pem() {
    }

    /** One PEM block with 64-character lines and a final newline. */
    static String encode(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    /** The decoded content of every {@code type} block, in order; text between blocks is ignored. */
    static List<byte[]> blocks(String text, String type) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        List<byte[]> blocks = new ArrayList<>();
        int from = 0;
        for (int start; (start = text.indexOf(begin, from)) >= 0; ) {
            int stop = text.indexOf(end, start);
            if (stop < 0) throw new IllegalArgumentException("a " + type + " block has no END line");
            String body = text.substring(start + begin.length(), stop);
            try {
                blocks.add(Base64.getMimeDecoder().decode(body.strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a " + type + " block is not valid base64", e);
            }
            from = stop + end.length();
        }
        return blocks;
    }

    /** Every CERTIFICATE block parsed; any block that doesn't parse fails the whole text. */
    static List<X509Certificate> certificates(String text) throws CertificateException {
        List<X509Certificate> certificates = new ArrayList<>();
        for (byte[] der : blocks(text, "CERTIFICATE")) certificates.add(certificate(der));
        return certificates;
    }

    /** Every CERTIFICATE block that parses; the others are skipped (for system bundles). */
    static List<X509Certificate> certificatesLeniently(String text) {
        List<X509Certificate> certificates = new ArrayList<>();
        List<byte[]> blocks;
        try {
            blocks = blocks(text, "CERTIFICATE");
        } catch (IllegalArgumentException e) {
            return certificates;
        }
        for (byte[] der : blocks) {
            try {
                certificates.add(certificate(der));
            } catch (CertificateException e) {
                // a broken entry in a system bundle is not ours to fix
            }
        }
        return certificates;
    }

    static X509Certificate certificate(byte[] der) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }
}
