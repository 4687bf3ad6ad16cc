package dev.corral.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Reads a host as an address the way C libraries do, odd spellings included: {@code 2130706433},
 * {@code 0x7f.1}, {@code 0177.0.0.1} and {@code 127.1} all mean 127.0.0.1 to curl and to
 * {@code inet_aton}, so the proxy must see them as that address too. IPv6 literals (with or
 * without brackets, IPv4-mapped or not) are read without any name lookup.
 */
public final class IpLiterals {
    private IpLiterals() {
    }

    /** The address the host spells, if it spells one. */
    public static Optional<InetAddress> parse(String host) {
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (h.indexOf(':') >= 0) return ipv6(h);
        return ipv4(h).map(IpLiterals::fromInt);
    }

    /**
     * Whether the host looks like a number rather than a name — its last label starts with a digit —
     * so that, if it isn't a valid address, it must not go to a name lookup either.
     */
    public static boolean looksNumeric(String host) {
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        int dot = h.lastIndexOf('.');
        String last = h.substring(dot + 1);
        return !last.isEmpty() && Character.isDigit(last.charAt(0));
    }

    private static Optional<InetAddress> ipv6(String h) {
        if (h.indexOf('%') >= 0) return Optional.empty(); // zone ids name host interfaces
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName("[" + h + "]"));
        } catch (UnknownHostException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** {@code inet_aton}: one to four parts, each decimal, octal (leading 0) or hex (0x). */
    static Optional<Long> ipv4(String h) {
        if (h.isEmpty()) return Optional.empty();
        String[] parts = h.split("\\.", -1);
        if (parts.length > 4) return Optional.empty();
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Optional<Long> v = number(parts[i]);
            if (v.isEmpty()) return Optional.empty();
            values[i] = v.get();
        }
        long result = 0;
        int n = parts.length;
        for (int i = 0; i < n - 1; i++) {
            if (values[i] > 255) return Optional.empty();
            result |= values[i] << (24 - 8 * i);
        }
        long last = values[n - 1];
        long lastMax = (1L << (8 * (5 - n))) - 1;
        if (last > lastMax) return Optional.empty();
        return Optional.of(result | last);
    }

    private static Optional<Long> number(String part) {
        if (part.isEmpty() || part.length() > 12) return Optional.empty();
        int radix = 10;
        String digits = part;
        if (part.length() > 1 && (part.startsWith("0x") || part.startsWith("0X"))) {
            radix = 16;
            digits = part.substring(2);
            if (digits.isEmpty()) return Optional.of(0L); // "0x" is 0 to inet_aton
        } else if (part.length() > 1 && part.startsWith("0")) {
            radix = 8;
            digits = part.substring(1);
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = Character.digit(digits.charAt(i), radix);
            if (d < 0) return Optional.empty();
            value = value * radix + d;
            if (value > 0xFFFF_FFFFL) return Optional.empty();
        }
        return Optional.of(value);
    }

    private static InetAddress fromInt(long v) {
        byte[] b = {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
