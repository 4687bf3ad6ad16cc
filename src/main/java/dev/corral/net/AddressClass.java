package dev.corral.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Which addresses the proxy refuses unless a rule names the host: loopback, private, link-local
 * (cloud metadata lives there), carrier-grade NAT, multicast, broadcast and the other special
 * ranges, in IPv4 and IPv6, including IPv4 addresses wrapped in IPv6 (mapped, compatible, NAT64,
 * 6to4). Documentation ranges (RFC 5737, RFC 3849) count as ordinary public addresses.
 */
public final class AddressClass {
    private AddressClass() {
    }

    /** Why the address is refused, or empty for an ordinary public address. */
    public static Optional<String> refusal(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) return ipv4(b);
        if (address instanceof Inet6Address) return ipv6(b);
        return Optional.of("unknown address family");
    }

    private static Optional<String> ipv4(byte[] b) {
        int a0 = b[0] & 0xff, a1 = b[1] & 0xff, a2 = b[2] & 0xff, a3 = b[3] & 0xff;
        if (a0 == 169 && a1 == 254 && a2 == 169 && a3 == 254) return Optional.of("cloud metadata");
        if (a0 == 100 && a1 == 100 && a2 == 100 && a3 == 200) return Optional.of("cloud metadata");
        if (a0 == 0) return Optional.of("\"this network\" (0.0.0.0/8)");
        if (a0 == 127) return Optional.of("loopback");
        if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) return Optional.of("private");
        if (a0 == 169 && a1 == 254) return Optional.of("link-local");
        if (a0 == 100 && (a1 & 0xc0) == 64) return Optional.of("carrier-grade NAT");
        if (a0 == 192 && a1 == 0 && a2 == 0) return Optional.of("IETF protocol assignments");
        if (a0 == 198 && (a1 & 0xfe) == 18) return Optional.of("benchmarking");
        if (a0 >= 224 && a0 <= 239) return Optional.of("multicast");
        if (a0 == 255 && a1 == 255 && a2 == 255 && a3 == 255) return Optional.of("broadcast");
        if (a0 >= 240) return Optional.of("reserved");
        return Optional.empty();
    }

    private static Optional<String> ipv6(byte[] b) {
        boolean zeroTo10 = allZero(b, 0, 10);
        if (zeroTo10 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) return embedded(b, 12, "IPv4-mapped");
        if (allZero(b, 0, 15) && b[15] == 1) return Optional.of("loopback");
        if (allZero(b, 0, 16)) return Optional.of("unspecified");
        if (allZero(b, 0, 12)) return embedded(b, 12, "IPv4-compatible");
        int w0 = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
        int w1 = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        int w2 = ((b[4] & 0xff) << 8) | (b[5] & 0xff);
        if (w0 == 0x0064 && w1 == 0xff9b && w2 == 0x0001) return Optional.of("local-use NAT64"); // 64:ff9b:1::/48, any prefix length
        if (w0 == 0x0064 && w1 == 0xff9b) return embedded(b, 12, "NAT64"); // 64:ff9b::/96
        if (w0 == 0x2002) return embedded(b, 2, "6to4");
        if (w0 == 0x2001 && w1 == 0x0000) return Optional.of("Teredo tunnel");
        if ((b[0] & 0xff) == 0xff) return Optional.of("multicast");
        if ((b[0] & 0xfe) == 0xfc) {
            if (w0 == 0xfd00 && w1 == 0x0ec2) return Optional.of("cloud metadata");
            return Optional.of("private (unique local)");
        }
        if (w0 >= 0xfe80 && w0 <= 0xfebf) return Optional.of("link-local");
        if (w0 >= 0xfec0 && w0 <= 0xfeff) return Optional.of("site-local");
        if (w0 == 0x0100 && allZero(b, 2, 8)) return Optional.of("discard-only");
        return Optional.empty();
    }

    /** An IPv4 address carried inside an IPv6 one: refused when the IPv4 address would be. */
    private static Optional<String> embedded(byte[] b, int offset, String form) {
        byte[] v4 = {b[offset], b[offset + 1], b[offset + 2], b[offset + 3]};
        return ipv4(v4).map(why -> why + " (" + form + ")");
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] != 0) return false;
        return true;
    }
}
