package dev.corral.backend.docker.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The head of an engine's HTTP answer and its body as a stream (chunked or sized, decoded here).
 * For an upgraded (hijacked) connection the body is the raw stream that follows.
 */
record HttpResponse(int status, Map<String, String> headers, InputStream body) {

    boolean ok() {
        return status >= 200 && status < 300;
    }

    String text() throws IOException {
        try (InputStream in = body) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Reads the status line and headers from {@code in}, leaving it at the body's first byte. */
    static HttpResponse read(InputStream in, boolean upgraded) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[0-9]{3}")) throw new IOException("not an HTTP answer: " + statusLine);
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            if (colon > 0) headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        InputStream body;
        if (status == 101 || (upgraded && status == 200 && !headers.containsKey("content-length")
                && !"chunked".equalsIgnoreCase(headers.get("transfer-encoding")))) {
            body = in;
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = new ChunkedInput(in);
        } else if (headers.containsKey("content-length")) {
            body = new SizedInput(in, number(headers.get("content-length"), 10));
        } else if (status == 204 || status == 304) {
            body = InputStream.nullInputStream();
        } else {
            body = in;
        }
        return new HttpResponse(status, headers, body);
    }

    private static long number(String text, int radix) throws IOException {
        try {
            long n = Long.parseLong(text.trim(), radix);
            if (n >= 0) return n;
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IOException("a malformed HTTP answer from the engine: " + text);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) throw new IOException("the engine closed the connection");
            if (b != '\r') out.write(b);
            if (out.size() > 16384) throw new IOException("an HTTP header line too long");
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** A body of known length. */
    private static final class SizedInput extends InputStream {
        private final InputStream in;
        private long left;

        SizedInput(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) return -1;
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) throw new IOException("the engine's answer ended early");
            left -= n;
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** A body in HTTP/1.1 chunks: the engine's progress streams and most of its answers. */
    private static final class ChunkedInput extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        ChunkedInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) return -1;
            if (left == 0) {
                String size = line(in);
                int semicolon = size.indexOf(';');
                left = number(semicolon < 0 ? size : size.substring(0, semicolon), 16);
                if (left == 0) {
                    while (!line(in).isEmpty()) {
                        // trailers: none that matter
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) throw new IOException("the engine's answer ended early");
            left -= n;
            if (left == 0) line(in); // the CRLF after each chunk
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
