package dev.corral.net.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DerTest {

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    @ParameterizedTest
    @CsvSource({"0, 020100", "127, 02017f", "128, 02020080", "256, 02020100", "-1, 0201ff", "-128, 020180",
            "-129, 0202ff7f", "65535, 020300ffff"})
    void integersUseTheShortestTwosComplement(long value, String expected) {
        assertEquals(expected, hex(Der.integer(value)));
        assertEquals(expected, hex(Der.integer(BigInteger.valueOf(value))));
    }

    @ParameterizedTest
    @CsvSource({
            "1.2.840.113549, 06062a864886f70d",
            "2.5.29.19, 0603551d13",
            "1.2.840.10045.4.3.2, 06082a8648ce3d040302",
            "1.3.6.1.5.5.7.3.1, 06082b06010505070301",
            "2.999.3, 0603883703",
            "0.0, 060100"})
    void objectIdentifiersEncodeTheirArcsInBase128(String oid, String expected) {
        assertEquals(expected, hex(Der.oid(oid)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "3.1", "1.40", "1..2", "a.b", "1.2.-3", "1.2.03", "", "1.2."})
    void malformedObjectIdentifiersAreRefused(String oid) {
        assertThrows(IllegalArgumentException.class, () -> Der.oid(oid));
    }

    @Test
    void stringsCarryTheirOwnTags() {
        assertEquals("0c02c3a9", hex(Der.utf8String("é")));
        assertEquals("1309436f7272616c204341", hex(Der.printableString("Corral CA")));
        assertEquals("1603612e62", hex(Der.ia5String("a.b")));
        assertThrows(IllegalArgumentException.class, () -> Der.printableString("me@host"));
        assertThrows(IllegalArgumentException.class, () -> Der.ia5String("é"));
    }

    @ParameterizedTest
    @CsvSource({
            "2026-11-29T05:42:55.789Z, 170d3236313132393035343235355a",
            "1950-01-01T00:00:00Z, 170d3530303130313030303030305a",
            "2049-12-31T23:59:59Z, 170d3439313233313233353935395a",
            "2050-01-01T00:00:00Z, 180f32303530303130313030303030305a",
            "1949-12-31T23:59:59Z, 180f31393439313233313233353935395a"})
    void certificateTimesSwitchToGeneralizedTimeIn2050(String instant, String expected) {
        assertEquals(expected, hex(Der.time(Instant.parse(instant))));
    }

    @Test
    void utcTimeRefusesYearsItCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> Der.utcTime(Instant.parse("2050-01-01T00:00:00Z")));
        assertEquals("180f32303330303630313132303030305a", hex(Der.generalizedTime(Instant.parse("2030-06-01T12:00:00Z"))));
    }

    @Test
    void bitStringsCountTheirUnusedBits() {
        assertEquals("0303000102", hex(Der.bitString(new byte[] {1, 2})));
        assertEquals("03020186", hex(Der.namedBits(0, 5, 6)), "digitalSignature, keyCertSign, cRLSign");
        assertEquals("03020780", hex(Der.namedBits(0)), "digitalSignature alone");
        assertEquals("03020001", hex(Der.namedBits(7)));
        assertEquals("0303070080", hex(Der.namedBits(8)));
        assertEquals("030100", hex(Der.namedBits()));
    }

    @Test
    void longContentUsesTheLongLengthForm() {
        assertEquals("0481c8", hex(Der.octetString(new byte[200])).substring(0, 6));
        assertEquals("0482012c", hex(Der.octetString(new byte[300])).substring(0, 8));
        assertEquals("048301000000", hex(Der.octetString(new byte[65536])).substring(0, 12));
        assertEquals("047f", hex(Der.octetString(new byte[127])).substring(0, 4));
        assertEquals("048180", hex(Der.octetString(new byte[128])).substring(0, 6));
    }

    @Test
    void constructedAndTaggedElementsWrapTheirContent() {
        assertEquals("0101ff", hex(Der.bool(true)));
        assertEquals("010100", hex(Der.bool(false)));
        assertEquals("3000", hex(Der.sequence()));
        assertEquals("3006020101020102", hex(Der.sequence(Der.integer(1), Der.integer(2))));
        assertEquals("a003020102", hex(Der.explicit(0, Der.integer(2))));
        assertEquals("a3023000", hex(Der.explicit(3, Der.sequence())));
        assertEquals("820161", hex(Der.implicit(2, "a".getBytes(StandardCharsets.US_ASCII))));
        assertEquals("87047f000001", hex(Der.implicit(7, new byte[] {127, 0, 0, 1})));
        assertThrows(IllegalArgumentException.class, () -> Der.explicit(31, Der.sequence()));
    }

    @Test
    void setsAreSortedByTheirEncodings() {
        assertEquals("3106020101020102", hex(Der.set(Der.integer(2), Der.integer(1))));
        byte[] a = Der.octetString(new byte[] {'a'});
        byte[] ab = Der.octetString(new byte[] {'a', 'b'});
        assertEquals("3107040161" + "04026162", hex(Der.set(ab, a)));
    }

    @Test
    void aNameMatchesTheJdksEncodingOfTheSameDistinguishedName() {
        byte[] name = Der.sequence(
                Der.set(Der.sequence(Der.oid("2.5.4.10"), Der.printableString("Corral"))),
                Der.set(Der.sequence(Der.oid("2.5.4.3"), Der.printableString("Test"))));

        assertArrayEquals(new X500Principal("CN=Test, O=Corral").getEncoded(), name);
    }
}
