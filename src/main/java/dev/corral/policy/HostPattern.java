package dev.corral.policy;

import java.net.InetAddress;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * A host a network rule names: an exact name or address ({@code api.github.com},
 * {@code 203.0.113.7}, {@code [2001:db8::1]}), or {@code *.example.com} for every subdomain of
 * example.com (not example.com itself); optionally with a port.
 *
 * @param host     lower case, without a trailing dot or brackets; for a wildcard, the suffix after {@code *.}
 * @param wildcard whether the pattern is {@code *.host}
 */
public record HostPattern(String host, boolean wildcard, OptionalInt port) {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]+");

    public HostPattern {
        if (port.isPresent() && (port.getAsInt() < 1 || port.getAsInt() > 65535)) {
            throw new IllegalArgumentException("port out of range");
        }
    }

    /** Parses {@code HOST[:PORT]}, rejecting what would match too much or nothing. */
    public static HostPattern parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        OptionalInt port = OptionalInt.empty();
        String host;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) throw invalid(text, "an IPv6 address needs its closing ']'");
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) throw invalid(text, "expected :PORT after the address");
                port = OptionalInt.of(port(text, rest.substring(1)));
            }
            if (!IPV6.matcher(host).matches() || !host.contains(":")) throw invalid(text, "not an IPv6 address");
            return new HostPattern(host, false, port);
        }
        int colon = s.lastIndexOf(':');
        if (colon >= 0 && s.indexOf(':') != colon) {
            if (!IPV6.matcher(s).matches()) throw invalid(text, "not a host name or address");
            return new HostPattern(s, false, port); // a bare IPv6 address
        }
        host = colon < 0 ? s : s.substring(0, colon);
        if (colon >= 0) port = OptionalInt.of(port(text, s.substring(colon + 1)));
        if (host.endsWith(".")) host = host.substring(0, host.length() - 1);
        boolean wildcard = host.startsWith("*.");
        if (wildcard) host = host.substring(2);
        if (host.equals("*") || host.isEmpty()) {
            throw new PolicyException("the pattern '" + text + "' matches every host",
                    "name the hosts, e.g. *.example.com or api.example.com; for no filtering at all use --network open");
        }
        String[] labels = host.split("\\.", -1);
        for (String label : labels) {
            if (label.contains("*")) throw invalid(text, "'*' is only allowed as the whole first label, as in *.example.com");
            if (!LABEL.matcher(label).matches()) throw invalid(text, "'" + label + "' is not a valid name label");
        }
        if (wildcard && labels.length < 2) {
            throw new PolicyException("the pattern '" + text + "' is too broad: it matches a whole top-level domain",
                    "name a domain under it, e.g. *.example." + host);
        }
        if (wildcard && SharedSuffixes.contains(host)) {
            throw new PolicyException("the pattern '" + text + "' is too broad: names under " + host + " belong to many different owners",
                    "name the hosts you mean, e.g. *.yourname." + host);
        }
        return new HostPattern(host, wildcard, port);
    }

    private static int port(String text, String value) {
        if (value.isEmpty() || !digits(value)) throw invalid(text, "the port must be a number from 1 to 65535");
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) return port;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw invalid(text, "the port must be a number from 1 to 65535");
    }

    private static PolicyException invalid(String text, String why) {
        return new PolicyException("invalid host pattern '" + text + "': " + why, "use HOST, HOST:PORT or *.DOMAIN");
    }

    /** Whether a connection to {@code name} (normalised: lower case, no trailing dot) on {@code port} matches. */
    public boolean matches(String name, int port) {
        if (this.port.isPresent() && this.port.getAsInt() != port) return false;
        if (wildcard) return name.endsWith("." + host);
        return name.equals(host) || ((host.indexOf(':') >= 0 || name.indexOf(':') >= 0) && sameAddress(host, name));
    }

    /** IPv6 has many spellings ({@code 2001:db8::1}, {@code 2001:db8:0:0:0:0:0:1}…): compared as addresses. */
    private static boolean sameAddress(String a, String b) {
        try {
            return InetAddress.ofLiteral(a).equals(InetAddress.ofLiteral(b));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Exact host and port 3, exact host 2, wildcard 1 plus the suffix's length (a tie-breaker among wildcards). */
    public long specificity() {
        if (wildcard) return 1_000L + host.length() + (port.isPresent() ? 500 : 0);
        return port.isPresent() ? 3_000_000L : 2_000_000L;
    }

    @Override
    public String toString() {
        String h = (wildcard ? "*." : "") + (host.contains(":") && port.isPresent() ? "[" + host + "]" : host);
        return port.isPresent() ? h + ":" + port.getAsInt() : h;
    }

    /** No lambda: rules are parsed at every start, where each lambda costs a bootstrap. */
    private static boolean digits(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') return false;
        }
        return true;
    }
}
