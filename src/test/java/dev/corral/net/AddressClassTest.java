package dev.corral.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which addresses a sandbox may not reach unless a rule names the host. */
class AddressClassTest {

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }

    private static byte[] v4bytes(String literal) {
        byte[] b = ip(literal).getAddress();
        if (b.length != 4) throw new IllegalArgumentException(literal);
        return b;
    }

    /** An IPv6 address from its bytes, kept IPv6 even when it wraps an IPv4 one (the JDK would unwrap a mapped address). */
    private static InetAddress v6(byte[] bytes) {
        try {
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The IPv4 address wrapped as the given kind of IPv6 address. */
    private static InetAddress wrapped(String kind, byte[] v4) {
        byte[] b = new byte[16];
        int at = 12;
        switch (kind) {
            case "mapped" -> {
                b[10] = (byte) 0xff;
                b[11] = (byte) 0xff;
            }
            case "compatible" -> {
            }
            case "nat64" -> {
                b[1] = 0x64;
                b[2] = (byte) 0xff;
                b[3] = (byte) 0x9b;
            }
            case "nat64-local" -> {
                b[1] = 0x64;
                b[2] = (byte) 0xff;
                b[3] = (byte) 0x9b;
                b[5] = 1;
            }
            case "6to4" -> {
                b[0] = 0x20;
                b[1] = 0x02;
                at = 2;
            }
            default -> throw new IllegalArgumentException(kind);
        }
        System.arraycopy(v4, 0, b, at, 4);
        return v6(b);
    }

    private static Optional<String> refusal(String literal) {
        return AddressClass.refusal(ip(literal));
    }

    @ParameterizedTest
    @CsvSource({
            "0.0.0.0, '\"this network\" (0.0.0.0/8)'", "0.255.255.255, '\"this network\" (0.0.0.0/8)'",
            "127.0.0.1, loopback", "127.255.255.254, loopback",
            "10.0.0.1, private", "10.255.255.255, private", "172.16.0.1, private", "172.31.255.255, private",
            "192.168.0.1, private", "192.168.255.255, private",
            "169.254.0.1, link-local", "169.254.255.255, link-local",
            "169.254.169.254, cloud metadata", "100.100.100.200, cloud metadata",
            "100.64.0.1, carrier-grade NAT", "100.127.255.255, carrier-grade NAT",
            "192.0.0.1, IETF protocol assignments", "192.0.0.255, IETF protocol assignments",
            "198.18.0.1, benchmarking", "198.19.255.255, benchmarking",
            "224.0.0.1, multicast", "239.255.255.255, multicast",
            "240.0.0.1, reserved", "254.255.255.255, reserved",
            "255.255.255.255, broadcast"})
    void specialIpv4RangesAreRefusedWithTheirName(String address, String why) {
        assertEquals(Optional.of(why), refusal(address), address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.1.1.1", "8.8.8.8", "9.255.255.255", "11.0.0.0", "126.255.255.255", "128.0.0.0", "172.15.255.255",
            "172.32.0.0", "192.167.255.255", "192.169.0.0", "169.253.255.255", "169.255.0.0", "100.63.255.255", "100.128.0.0",
            "192.0.1.0", "198.17.255.255", "198.20.0.0", "223.255.255.255",
            "192.0.2.1", "192.0.2.255", "198.51.100.7", "203.0.113.9"})
    void publicAndDocumentationIpv4AddressesAreNotRefused(String address) {
        assertEquals(Optional.empty(), refusal(address), address);
    }

    @ParameterizedTest
    @CsvSource({
            "::1, loopback", "::, unspecified",
            "::127.0.0.1, loopback (IPv4-compatible)", "::10.0.0.1, private (IPv4-compatible)",
            "64:ff9b::127.0.0.1, loopback (NAT64)", "64:ff9b::169.254.169.254, cloud metadata (NAT64)",
            "64:ff9b::192.168.1.1, private (NAT64)",
            "2002:7f00:1::, loopback (6to4)", "2002:a9fe:a9fe::1, cloud metadata (6to4)", "2002:0a00:0001:ffff::, private (6to4)",
            "2001::1, Teredo tunnel", "2001:0:4136:e378:8000:63bf:3fff:fdd2, Teredo tunnel",
            "ff02::1, multicast", "ff05::2, multicast",
            "fc00::1, private (unique local)", "fd12:3456:789a::1, private (unique local)",
            "fd00:ec2::254, cloud metadata",
            "fe80::1, link-local", "febf:ffff::1, link-local",
            "fec0::1, site-local", "feff::1, site-local",
            "100::1, discard-only"})
    void specialIpv6RangesAreRefusedWithTheirName(String address, String why) {
        assertEquals(Optional.of(why), refusal(address), address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2001:db8::1", "2001:db8:ffff::1", "2606:4700:4700::1111", "2001:4860:4860::8888", "2a00:1450:4001::200e",
            "64:ff9b::8.8.8.8", "2002:0808:0808::1", "::8.8.8.8"})
    void publicAndDocumentationIpv6AddressesAreNotRefused(String address) {
        assertEquals(Optional.empty(), refusal(address), address);
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1, loopback (IPv4-mapped)", "169.254.169.254, cloud metadata (IPv4-mapped)", "10.1.2.3, private (IPv4-mapped)",
            "0.0.0.0, '\"this network\" (0.0.0.0/8) (IPv4-mapped)'"})
    void anIpv4MappedAddressKeptAsIpv6IsJudgedByItsIpv4Address(String v4, String why) {
        assertEquals(Optional.of(why), AddressClass.refusal(wrapped("mapped", v4bytes(v4))));
    }

    /** The refused IPv4 ranges, written out independently of the code under test. */
    private record Range(String base, int prefix) {
        boolean contains(long address) {
            long b = toLong(v4bytes(base));
            long mask = prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
            return (address & mask) == (b & mask);
        }

        long random(Random random) {
            long b = toLong(v4bytes(base));
            long host = prefix == 32 ? 0 : (random.nextLong() & 0xFFFF_FFFFL) >>> prefix;
            return b | host;
        }
    }

    private static final List<Range> REFUSED = List.of(new Range("0.0.0.0", 8), new Range("10.0.0.0", 8),
            new Range("100.64.0.0", 10), new Range("127.0.0.0", 8), new Range("169.254.0.0", 16), new Range("172.16.0.0", 12),
            new Range("192.0.0.0", 24), new Range("192.168.0.0", 16), new Range("198.18.0.0", 15), new Range("224.0.0.0", 4),
            new Range("240.0.0.0", 4));

    private static long toLong(byte[] b) {
        return ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
    }

    private static byte[] bytes(long v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static String text(long v) {
        return ((v >>> 24) & 0xff) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);
    }

    static LongStream seeds() {
        return LongStream.range(1, 21);
    }

    private static final List<String> WRAPPINGS = List.of("mapped", "compatible", "nat64", "nat64-local", "6to4");

    @ParameterizedTest
    @MethodSource("seeds")
    void randomAddressesInsideRefusedRangesAreRefusedHoweverTheyAreWrapped(long seed) throws UnknownHostException {
        Random random = new Random(seed);
        for (Range range : REFUSED) {
            for (int i = 0; i < 50; i++) {
                long v = range.random(random);
                byte[] b = bytes(v);

                assertTrue(AddressClass.refusal(InetAddress.getByAddress(b)).isPresent(), text(v));
                for (String kind : WRAPPINGS) {
                    assertTrue(AddressClass.refusal(wrapped(kind, b)).isPresent(), kind + " " + text(v));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void randomPublicIpv4AddressesAreNotRefusedHoweverTheyAreWrapped(long seed) throws UnknownHostException {
        Random random = new Random(seed);
        int checked = 0;
        while (checked < 1000) {
            long v = random.nextLong() & 0xFFFF_FFFFL;
            if (REFUSED.stream().anyMatch(r -> r.contains(v))) continue;
            byte[] b = bytes(v);
            checked++;

            assertEquals(Optional.empty(), AddressClass.refusal(InetAddress.getByAddress(b)), text(v));
            for (String kind : WRAPPINGS) {
                if (kind.equals("nat64-local")) {
                    // the local-use NAT64 prefix (RFC 8215) is a site's own, like a private range: refused whatever it carries
                    assertEquals(Optional.of("local-use NAT64"), AddressClass.refusal(wrapped(kind, b)), kind + " " + text(v));
                } else {
                    assertEquals(Optional.empty(), AddressClass.refusal(wrapped(kind, b)), kind + " " + text(v));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void randomDocumentationAddressesAreNotRefused(long seed) {
        Random random = new Random(seed);
        for (String prefix : List.of("192.0.2.", "198.51.100.", "203.0.113.")) {
            String address = prefix + random.nextInt(256);
            assertEquals(Optional.empty(), refusal(address), address);
        }
        byte[] v6 = new byte[16];
        random.nextBytes(v6);
        v6[0] = 0x20;
        v6[1] = 0x01;
        v6[2] = 0x0d;
        v6[3] = (byte) 0xb8;
        assertEquals(Optional.empty(), AddressClass.refusal(v6(v6)), v6(v6).getHostAddress());
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void randomGlobalUnicastIpv6AddressesAreNotRefused(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 1000; i++) {
            byte[] b = new byte[16];
            random.nextBytes(b);
            b[0] = (byte) (0x24 | (b[0] & 0x03)); // 2400::/6, clear of 2001::/16 and 2002::/16

            assertEquals(Optional.empty(), AddressClass.refusal(v6(b)), v6(b).getHostAddress());
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void randomAddressesInRefusedIpv6RangesAreRefused(long seed) {
        Random random = new Random(seed);
        int[][] prefixes = {{0xfc, 0xfe, 7}, {0xfe, 0x80, 10}, {0xfe, 0xc0, 10}, {0xff, 0x00, 8}, {0x20, 0x01, 32}};
        for (int[] p : prefixes) {
            for (int i = 0; i < 200; i++) {
                byte[] b = new byte[16];
                random.nextBytes(b);
                int bits = p[2];
                int first = p[0], second = p[1];
                if (bits == 7) {
                    b[0] = (byte) (0xfc | (b[0] & 0x01));
                } else if (bits == 10) {
                    b[0] = (byte) first;
                    b[1] = (byte) (second | (b[1] & 0x3f));
                } else if (bits == 8) {
                    b[0] = (byte) first;
                } else {
                    b[0] = 0x20;
                    b[1] = 0x01;
                    b[2] = 0;
                    b[3] = 0;
                }

                assertTrue(AddressClass.refusal(v6(b)).isPresent(), v6(b).getHostAddress());
            }
        }
    }
}
