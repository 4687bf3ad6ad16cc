package dev.corral.net.tls;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Host names as certificates and TLS see them: normalised, validated, told apart from IP literals. */
final class Hosts {
    private static final Pattern DOTTED_QUAD = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,62})(\\.[a-z0-9_][a-z0-9_-]{0,62})*");

    private Hosts() {
    }

    /**
     * Lower-cases the host, drops IPv6 brackets and one trailing dot, and checks it is an IP literal
     * or a DNS name (letters, digits, '-', '_', labels of 1-63, at most 253 characters; no wildcards).
     */
    static String normalize(String host) {
        if (host == null) throw new IllegalArgumentException("no host name");
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (h.endsWith(".") && !h.endsWith("..")) h = h.substring(0, h.length() - 1);
        if (ipLiteral(h).isPresent()) return h;
        if (h.length() <= 253 && NAME.matcher(h).matches() && !DOTTED_QUAD.matcher(h).matches()) return h;
        throw new IllegalArgumentException("not a host name or IP address: " + printable(host));
    }

    /** The address when the (normalised) host is an IPv4 dotted quad or an IPv6 literal; never uses DNS. */
    static Optional<InetAddress> ipLiteral(String host) {
        if (!DOTTED_QUAD.matcher(host).matches() && !host.contains(":")) return Optional.empty();
        try {
            return Optional.of(InetAddress.ofLiteral(host));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
