package dev.corral.net;

import java.util.Locale;
import java.util.Optional;

/**
 * A {@code host:port} as a client wrote it (CONNECT's target, a URL's authority), normalised:
 * lower case, no brackets around IPv6 addresses, no trailing dot.
 */
record Authority(String host, int port) {
    Authority {
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range");
    }

    static Optional<Authority> parse(String text, int defaultPort) {
        String s = text.toLowerCase(Locale.ROOT);
        String host;
        String portText = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) return Optional.empty();
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (rest.startsWith(":")) portText = rest.substring(1);
            else if (!rest.isEmpty()) return Optional.empty();
        } else {
            int colon = s.lastIndexOf(':');
            if (colon >= 0 && s.indexOf(':') != colon) return Optional.empty(); // a bare IPv6 address is ambiguous
            host = colon < 0 ? s : s.substring(0, colon);
            if (colon >= 0) portText = s.substring(colon + 1);
        }
        return of(host, portText == null ? defaultPort : parsePort(portText));
    }

    static Optional<Authority> of(String rawHost, int port) {
        String host = rawHost.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) host = host.substring(0, host.length() - 1);
        if (host.isEmpty() || host.length() > 253 || port < 1 || port > 65535) return Optional.empty();
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' || c == ':';
            if (!ok) return Optional.empty();
        }
        return Optional.of(new Authority(host, port));
    }

    private static int parsePort(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) return -1;
        return Integer.parseInt(text);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
