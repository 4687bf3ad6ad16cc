package dev.corral.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading hosts as addresses the way C libraries do, odd spellings included. */
class IpLiteralsTest {

    private static String address(String host) {
        return IpLiterals.parse(host).map(InetAddress::getHostAddress).orElse("none");
    }

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, 127.0.0.1",
            "2130706433, 127.0.0.1",
            "0x7f000001, 127.0.0.1",
            "0X7F000001, 127.0.0.1",
            "0x7f.1, 127.0.0.1",
            "0177.0.0.1, 127.0.0.1",
            "0177.0.0.01, 127.0.0.1",
            "127.1, 127.0.0.1",
            "127.0.1, 127.0.0.1",
            "1.2.3, 1.2.0.3",
            "1.2.65535, 1.2.255.255",
            "1.16777215, 1.255.255.255",
            "127.0.0.1., 127.0.0.1",
            "2130706433., 127.0.0.1",
            "0, 0.0.0.0",
            "00, 0.0.0.0",
            "0x, 0.0.0.0",
            "4294967295, 255.255.255.255",
            "0xffffffff, 255.255.255.255",
            "037777777777, 255.255.255.255",
            "0xa9.0376.43518, 169.254.169.254",
            "169.254.43518, 169.254.169.254",
            "0xA9FEA9FE, 169.254.169.254",
            "10.0x0.0.0x1, 10.0.0.1"})
    void inetAtonSpellingsAreTheAddressesTheyMean(String host, String expected) {
        assertEquals(expected, address(host));
        assertInstanceOf(Inet4Address.class, IpLiterals.parse(host).orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "256.1.1.1", "1.256.1.1", "1.2.256.1", "1.2.3.256", "1.2.3.4.5", "08.1.1.1", "09", "1.08",
            "1..2.3", ".1.2.3", "1.2.3.4..", "4294967296", "0x100000000", "1.2.65536", "1.16777216", "0xg", "0x7g.1",
            "-1", "+1", "1.-2.3.4", "1.2.3.4x", " 1.2.3.4", "1.2.3.4 ", "example.com", "1.2.3.example", "127.0.0.1/8"})
    void whatInetAtonRefusesIsNoAddress(String host) {
        assertEquals(Optional.empty(), IpLiterals.parse(host), host);
    }

    @ParameterizedTest
    @CsvSource({
            "::1, 0:0:0:0:0:0:0:1",
            "[::1], 0:0:0:0:0:0:0:1",
            "2001:DB8::1, 2001:db8:0:0:0:0:0:1",
            "[2001:db8::1]., 2001:db8:0:0:0:0:0:1",
            "fe80::1, fe80:0:0:0:0:0:0:1",
            "::, 0:0:0:0:0:0:0:0",
            "64:ff9b::7f00:1, 64:ff9b:0:0:0:0:7f00:1",
            "::127.0.0.1, 0:0:0:0:0:0:7f00:1"})
    void ipv6LiteralsAreReadWithOrWithoutBrackets(String host, String expected) {
        assertEquals(expected, address(host));
        assertInstanceOf(Inet6Address.class, IpLiterals.parse(host).orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"::ffff:127.0.0.1", "[::ffff:127.0.0.1]", "::ffff:7f00:1", "::FFFF:7F00:0001"})
    void anIpv4MappedAddressIsTheIpv4Address(String host) {
        assertEquals("127.0.0.1", address(host));
    }

    @ParameterizedTest
    @ValueSource(strings = {"fe80::1%eth0", "[fe80::1%25eth0]", "fe80::1%1", "::1%lo"})
    void zoneIdsAreRefusedBecauseTheyNameHostInterfaces(String host) {
        assertEquals(Optional.empty(), IpLiterals.parse(host));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1:2", "::g", "::1::2", "1:2:3:4:5:6:7:8:9", "2001:db8::1/64", "::ffff:1.2.3", "::ffff:0x7f.1",
            "[::1", "::1]", ":", "[]", "2001:db8::1:80]", "[::1]:80", "localhost:80"})
    void malformedIpv6IsNoAddress(String host) {
        assertEquals(Optional.empty(), IpLiterals.parse(host), host);
    }

    @Test
    void absurdlyLongPartsAreNoAddressYetStillLookNumeric() {
        assertEquals(Optional.empty(), IpLiterals.parse("0000000000000001"));
        assertTrue(IpLiterals.looksNumeric("0000000000000001"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.1", "1.2.3.4", "08.1.1.1", "0x7f", "4294967296", "example.123", "1.", "256.256.256.256", "1.2.3.4.5"})
    void hostsEndingInANumberLookNumeric(String host) {
        assertTrue(IpLiterals.looksNumeric(host), host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "1.example.com", "123.example", "x1", "", ".", "localhost", "a1b2.c3d"})
    void namesDoNotLookNumeric(String host) {
        assertFalse(IpLiterals.looksNumeric(host), host);
    }

    static LongStream seeds() {
        return LongStream.range(1, 101);
    }

    private static String part(long value, int style) {
        return switch (style) {
            case 0 -> Long.toString(value);
            case 1 -> "0" + Long.toOctalString(value);
            case 2 -> "0x" + Long.toHexString(value);
            default -> "0X" + Long.toHexString(value).toUpperCase(java.util.Locale.ROOT);
        };
    }

    /** Every spelling inet_aton accepts of one address: one to four parts, each in any base. */
    private static List<String> spellings(long v, Random random) {
        int a = (int) (v >>> 24), b = (int) (v >>> 16) & 0xff, c = (int) (v >>> 8) & 0xff, d = (int) v & 0xff;
        return List.of(
                part(v, random.nextInt(4)),
                part(a, random.nextInt(4)) + "." + part(v & 0xffffff, random.nextInt(4)),
                part(a, random.nextInt(4)) + "." + part(b, random.nextInt(4)) + "." + part(v & 0xffff, random.nextInt(4)),
                part(a, random.nextInt(4)) + "." + part(b, random.nextInt(4)) + "." + part(c, random.nextInt(4)) + "."
                        + part(d, random.nextInt(4)),
                a + "." + b + "." + c + "." + d + ".");
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void everySpellingOfARandomAddressReadsAsThatAddress(long seed) {
        Random random = new Random(seed);
        long v = random.nextLong() & 0xFFFF_FFFFL;
        String expected = ((v >>> 24) & 0xff) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);

        for (String spelling : spellings(v, random)) {
            assertEquals(expected, address(spelling), spelling);
            assertTrue(IpLiterals.looksNumeric(spelling), spelling);
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void randomGarbageIsReadWithoutThrowing(long seed) {
        Random random = new Random(seed);
        String alphabet = "0123456789abcdefxX.:[]%-+ g";
        for (int i = 0; i < 200; i++) {
            StringBuilder sb = new StringBuilder();
            for (int n = random.nextInt(20); n > 0; n--) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            String host = sb.toString();

            Optional<InetAddress> parsed = IpLiterals.parse(host);
            IpLiterals.looksNumeric(host);
            if (parsed.isPresent() && host.indexOf(':') < 0 && host.indexOf('[') < 0) {
                assertTrue(IpLiterals.looksNumeric(host), "an IPv4 spelling always looks numeric: " + host);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void aPartTooLargeForItsPlaceIsNoAddress(long seed) {
        Random random = new Random(seed);
        int parts = 1 + random.nextInt(4);
        long limit = parts == 1 ? 0xFFFF_FFFFL : (1L << (8 * (5 - parts))) - 1;
        StringBuilder host = new StringBuilder();
        for (int i = 0; i < parts - 1; i++) host.append(random.nextInt(256)).append('.');
        host.append(limit + 1 + random.nextInt(1000));

        assertEquals(Optional.empty(), IpLiterals.parse(host.toString()), host.toString());
    }
}
