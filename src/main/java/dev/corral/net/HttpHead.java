package dev.corral.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The head of an HTTP/1.x request: request line and header fields, read strictly (bounded size,
 * no line folding, token header names) so nothing ambiguous passes the proxy.
 */
record HttpHead(String method, String target, String version, List<Header> headers) {
    static final int MAX_BYTES = 64 * 1024;
    static final int MAX_FIELDS = 200;
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    record Header(String name, String value) {
    }

    /** A request the proxy won't pass: the status to answer with and why. */
    static final class BadRequest extends IOException {
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    HttpHead {
        headers = List.copyOf(headers);
    }

    /** The next head, or empty at a clean end of stream (nothing at all read). */
    static Optional<HttpHead> read(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        List<String> lines = new ArrayList<>();
        int total = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (total == 0) return Optional.empty();
                throw new BadRequest(400, "the request ended inside its head");
            }
            if (++total > MAX_BYTES) throw new BadRequest(431, "the request head is larger than " + MAX_BYTES + " bytes");
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                if (text.endsWith("\r")) text = text.substring(0, text.length() - 1);
                line.reset();
                if (text.isEmpty()) {
                    if (lines.isEmpty()) continue; // tolerated empty lines before a request
                    return Optional.of(parse(lines));
                }
                lines.add(text);
                if (lines.size() > MAX_FIELDS + 1) throw new BadRequest(431, "the request has more than " + MAX_FIELDS + " header fields");
            } else {
                line.write(b);
            }
        }
    }

    private static HttpHead parse(List<String> lines) throws BadRequest {
        String[] parts = lines.getFirst().split(" ", -1);
        if (parts.length != 3 || !TOKEN.matcher(parts[0]).matches() || parts[1].isEmpty()
                || !(parts[2].equals("HTTP/1.1") || parts[2].equals("HTTP/1.0"))) {
            throw new BadRequest(400, "malformed request line");
        }
        List<Header> headers = new ArrayList<>();
        for (String field : lines.subList(1, lines.size())) {
            checkField(field);
            int colon = field.indexOf(':');
            headers.add(new Header(field.substring(0, colon), field.substring(colon + 1).strip()));
        }
        return new HttpHead(parts[0], parts[1], parts[2], headers);
    }

    /**
     * A field is a token name, a colon and a value without control characters (tab aside): a bare CR
     * or a NUL could make the upstream read the request differently from the proxy.
     */
    static void checkField(String field) throws BadRequest {
        int colon = field.indexOf(':');
        if (colon <= 0 || !TOKEN.matcher(field.substring(0, colon)).matches()) throw new BadRequest(400, "malformed header field");
        for (int i = colon + 1; i < field.length(); i++) {
            char c = field.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) throw new BadRequest(400, "a control character in a header field");
        }
    }

    List<String> values(String name) {
        List<String> values = new ArrayList<>();
        for (Header h : headers) if (h.name().equalsIgnoreCase(name)) values.add(h.value());
        return values;
    }

    Optional<String> value(String name) {
        List<String> values = values(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** How the body is framed: -1 for chunked, otherwise its length (0 when there is none). */
    long bodyLength() throws BadRequest {
        List<String> encodings = values("Transfer-Encoding");
        List<String> lengths = values("Content-Length");
        if (!encodings.isEmpty()) {
            if (!lengths.isEmpty()) throw new BadRequest(400, "both Transfer-Encoding and Content-Length");
            if (encodings.size() != 1 || !encodings.getFirst().equalsIgnoreCase("chunked")) {
                throw new BadRequest(501, "unsupported Transfer-Encoding");
            }
            return -1;
        }
        if (lengths.isEmpty()) return 0;
        String first = lengths.getFirst();
        for (String l : lengths) if (!l.equals(first)) throw new BadRequest(400, "conflicting Content-Length values");
        try {
            long n = Long.parseLong(first);
            if (n < 0 || !first.chars().allMatch(Character::isDigit)) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new BadRequest(400, "invalid Content-Length");
        }
    }

    boolean isUpgrade() {
        return value("Upgrade").isPresent();
    }

    HttpHead withTarget(String value) {
        return new HttpHead(method, value, version, headers);
    }

    HttpHead withHeaders(List<Header> value) {
        return new HttpHead(method, target, version, value);
    }

    /** The head without the proxy's own hop-by-hop fields. */
    HttpHead withoutProxyFields() {
        List<Header> kept = new ArrayList<>();
        for (Header h : headers) {
            String n = h.name().toLowerCase(Locale.ROOT);
            if (!n.equals("proxy-connection") && !n.equals("proxy-authorization")) kept.add(h);
        }
        return withHeaders(kept);
    }

    String text() {
        StringBuilder sb = new StringBuilder();
        sb.append(method).append(' ').append(target).append(' ').append(version).append("\r\n");
        for (Header h : headers) sb.append(h.name()).append(": ").append(h.value()).append("\r\n");
        return sb.append("\r\n").toString();
    }
}
