package dev.corral.net.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * A minimal ASN.1 DER writer, enough to build X.509 certificates: each method returns one complete
 * encoding (tag, length, content), and the constructed types take already encoded elements.
 */
public final class Der {
    private static final Pattern PRINTABLE = Pattern.compile("[A-Za-z0-9 '()+,./:=?-]*");
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
    private static final DateTimeFormatter GENERALIZED_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'");

    private Der() {
    }

    /** SEQUENCE of the encoded elements, in order. */
    public static byte[] sequence(byte[]... elements) {
        return tlv(0x30, concat(elements));
    }

    /** SET OF the encoded elements, sorted as DER requires (X.690 11.6). */
    public static byte[] set(byte[]... elements) {
        byte[][] sorted = elements.clone();
        Arrays.sort(sorted, Der::compareSetElements);
        return tlv(0x31, concat(sorted));
    }

    public static byte[] integer(BigInteger value) {
        return tlv(0x02, value.toByteArray());
    }

    public static byte[] integer(long value) {
        return integer(BigInteger.valueOf(value));
    }

    /** OBJECT IDENTIFIER from its dotted form, such as {@code 2.5.29.19}. */
    public static byte[] oid(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        if (parts.length < 2) throw new IllegalArgumentException("an OID needs at least two arcs: " + dotted);
        long[] arcs = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (!parts[i].matches("0|[1-9][0-9]{0,17}")) throw new IllegalArgumentException("invalid OID: " + dotted);
            arcs[i] = Long.parseLong(parts[i]);
        }
        if (arcs[0] > 2 || (arcs[0] < 2 && arcs[1] > 39)) throw new IllegalArgumentException("invalid OID: " + dotted);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        base128(out, arcs[0] * 40 + arcs[1]);
        for (int i = 2; i < arcs.length; i++) base128(out, arcs[i]);
        return tlv(0x06, out.toByteArray());
    }

    public static byte[] utf8String(String value) {
        return tlv(0x0c, value.getBytes(StandardCharsets.UTF_8));
    }

    /** PrintableString; refuses characters outside its small alphabet. */
    public static byte[] printableString(String value) {
        if (!PRINTABLE.matcher(value).matches()) throw new IllegalArgumentException("not a PrintableString: " + value);
        return tlv(0x13, value.getBytes(StandardCharsets.US_ASCII));
    }

    /** IA5String (ASCII), as used by dNSName. */
    public static byte[] ia5String(String value) {
        if (!value.chars().allMatch(c -> c < 0x80)) throw new IllegalArgumentException("not an IA5String: " + value);
        return tlv(0x16, value.getBytes(StandardCharsets.US_ASCII));
    }

    /** A certificate time per RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050 on. */
    public static byte[] time(Instant instant) {
        int year = instant.atZone(ZoneOffset.UTC).getYear();
        return year >= 1950 && year <= 2049 ? utcTime(instant) : generalizedTime(instant);
    }

    /** UTCTime {@code YYMMDDHHMMSSZ}, to the second. */
    public static byte[] utcTime(Instant instant) {
        ZonedDateTime t = instant.truncatedTo(ChronoUnit.SECONDS).atZone(ZoneOffset.UTC);
        if (t.getYear() < 1950 || t.getYear() > 2049) throw new IllegalArgumentException("UTCTime covers 1950-2049: " + instant);
        return tlv(0x17, UTC_TIME.format(t).getBytes(StandardCharsets.US_ASCII));
    }

    /** GeneralizedTime {@code YYYYMMDDHHMMSSZ}, to the second. */
    public static byte[] generalizedTime(Instant instant) {
        ZonedDateTime t = instant.truncatedTo(ChronoUnit.SECONDS).atZone(ZoneOffset.UTC);
        if (t.getYear() < 0 || t.getYear() > 9999) throw new IllegalArgumentException("GeneralizedTime covers 0-9999: " + instant);
        return tlv(0x18, GENERALIZED_TIME.format(t).getBytes(StandardCharsets.US_ASCII));
    }

    /** BIT STRING of whole bytes (no unused bits), such as a key or a signature. */
    public static byte[] bitString(byte[] bytes) {
        return tlv(0x03, concat(new byte[] {0}, bytes));
    }

    /** BIT STRING of named bits (bit 0 is the first, most significant), trailing zero bits removed. */
    public static byte[] namedBits(int... bits) {
        int highest = -1;
        for (int bit : bits) {
            if (bit < 0 || bit > 255) throw new IllegalArgumentException("bit out of range: " + bit);
            highest = Math.max(highest, bit);
        }
        if (highest < 0) return tlv(0x03, new byte[] {0});
        byte[] content = new byte[1 + highest / 8 + 1];
        for (int bit : bits) content[1 + bit / 8] |= (byte) (0x80 >>> (bit % 8));
        content[0] = (byte) (7 - highest % 8);
        return tlv(0x03, content);
    }

    public static byte[] octetString(byte[] bytes) {
        return tlv(0x04, bytes);
    }

    public static byte[] bool(boolean value) {
        return tlv(0x01, new byte[] {(byte) (value ? 0xff : 0)});
    }

    /** {@code [tag] EXPLICIT}: a constructed context-specific tag around one encoded element. */
    public static byte[] explicit(int tag, byte[] element) {
        return tlv(0xa0 | tagNumber(tag), element);
    }

    /** {@code [tag] IMPLICIT} of a primitive type: its content octets under a context-specific tag. */
    public static byte[] implicit(int tag, byte[] content) {
        return tlv(0x80 | tagNumber(tag), content);
    }

    /** One element with a single-byte tag and the given content octets. */
    public static byte[] tlv(int tag, byte[] content) {
        if (tag < 0 || tag > 0xff || (tag & 0x1f) == 0x1f) throw new IllegalArgumentException("unsupported tag: " + tag);
        byte[] length = length(content.length);
        byte[] out = new byte[1 + length.length + content.length];
        out[0] = (byte) tag;
        System.arraycopy(length, 0, out, 1, length.length);
        System.arraycopy(content, 0, out, 1 + length.length, content.length);
        return out;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) out.writeBytes(part);
        return out.toByteArray();
    }

    private static int tagNumber(int tag) {
        if (tag < 0 || tag > 30) throw new IllegalArgumentException("context tag out of range: " + tag);
        return tag;
    }

    private static byte[] length(int length) {
        if (length < 0x80) return new byte[] {(byte) length};
        int size = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
        byte[] out = new byte[1 + size];
        out[0] = (byte) (0x80 | size);
        for (int i = 0; i < size; i++) out[size - i] = (byte) (length >>> (8 * i));
        return out;
    }

    private static void base128(ByteArrayOutputStream out, long value) {
        int groups = Math.max(1, (Long.SIZE - Long.numberOfLeadingZeros(value) + 6) / 7);
        for (int i = groups - 1; i >= 0; i--) {
            int group = (int) ((value >>> (7 * i)) & 0x7f);
            out.write(i > 0 ? group | 0x80 : group);
        }
    }

    /** Compares as unsigned octet strings, the shorter one padded with zero octets. */
    private static int compareSetElements(byte[] a, byte[] b) {
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            int x = i < a.length ? a[i] & 0xff : 0;
            int y = i < b.length ? b[i] & 0xff : 0;
            if (x != y) return Integer.compare(x, y);
        }
        return 0;
    }
}
