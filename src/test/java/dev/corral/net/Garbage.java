package dev.corral.net;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Seeded malformed input for the proxy: random bytes, protocol-flavoured text, and valid beginnings
 * (an HTTP request line, a CONNECT, a SOCKS5 greeting) that trail off into noise.
 *
 * @param bytes     what the client sends
 * @param halfClose whether it then ends its sending side (otherwise it just goes quiet)
 */
record Garbage(byte[] bytes, boolean halfClose) {
    private static final int[] FIRST_BYTES = {0x04, 0x05, 0x16, 'C', 'G'};
    private static final String[] WORDS = {"GET", "CONNECT", "POST", " ", " ", "\r\n", "\n", "\r\n\r\n", ":", "/", "http://",
        "HTTP/1.1", "HTTP/1.0", "Host: ", "Content-Length: ", "Transfer-Encoding: chunked", "-1", "99999999999999999999",
        "127.0.0.2", "[::1]", "example.invalid", ":443", ":0", ":65536", "%00", "\0", "\u00ff", "@"};

    static Garbage of(long seed, int httpPort, int echoPort) {
        SplittableRandom random = new SplittableRandom(seed);
        int length = switch (random.nextInt(4)) {
            case 0 -> 1 + random.nextInt(8);
            case 1 -> 1 + random.nextInt(300);
            case 2 -> 1 + random.nextInt(5000);
            default -> 60_000 + random.nextInt(10_000); // past the 64 KiB head limit, sometimes
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int kind = random.nextInt(3);
        switch (kind) {
            case 0 -> {
                byte[] noise = new byte[length];
                random.nextBytes(noise);
                if (random.nextInt(6) > 0) noise[0] = (byte) FIRST_BYTES[random.nextInt(FIRST_BYTES.length)];
                out.writeBytes(noise);
            }
            case 1 -> {
                out.write(FIRST_BYTES[random.nextInt(FIRST_BYTES.length)]);
                while (out.size() < length) out.writeBytes(WORDS[random.nextInt(WORDS.length)].getBytes(StandardCharsets.ISO_8859_1));
            }
            default -> {
                byte[][] starts = {
                    ("GET http://127.0.0.1:" + httpPort + "/fuzz HTTP/1.1\r\n").getBytes(StandardCharsets.ISO_8859_1),
                    ("CONNECT 127.0.0.1:" + echoPort + " HTTP/1.1\r\n").getBytes(StandardCharsets.ISO_8859_1),
                    {5, 1, 0},
                    {5, 1, 0, 5, 1, 0, 3},
                    {5, 1, 0, 5, 1, 0, 1, 127, 0, 0, 2},
                    {0x16, 3, 1, 0, 0x40, 1},
                };
                out.writeBytes(starts[random.nextInt(starts.length)]);
                byte[] noise = new byte[length];
                random.nextBytes(noise);
                out.writeBytes(noise);
            }
        }
        // Valid beginnings may reach a loopback server: only the end of the stream ends those.
        boolean halfClose = kind == 2 || random.nextInt(5) > 0;
        return new Garbage(out.toByteArray(), halfClose);
    }
}
