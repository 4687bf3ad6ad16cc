package dev.corral.backend.docker.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The engine's HTTP answers: the head, then a body decoded from chunks or sized, or the raw stream. */
class HttpResponseTest {
    /** What follows the answer on the connection: a body that reads past its end would eat it. */
    private static final String NEXT = "NEXT-BYTES";

    private static InputStream wire(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String rest(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void aChunkedBodyIsDecodedWithExtensionsAndTrailersAndNotOneByteMore() throws IOException {
        InputStream in = wire("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n"
                + "1A ; another=\"x\"\r\n, this is the second chunk\r\n"
                + "0;last\r\nX-Trailer: yes\r\nX-Other: also\r\n\r\n" + NEXT);

        HttpResponse response = HttpResponse.read(in, false);

        assertEquals(200, response.status());
        assertEquals("hello, this is the second chunk", new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(-1, response.body().read(), "stays at its end");
        assertEquals(NEXT, rest(in));
    }

    @Test
    void anEmptyChunkedBodyEndsAtOnce() throws IOException {
        InputStream in = wire("HTTP/1.1 200 OK\r\ntransfer-encoding: Chunked\r\n\r\n0\r\n\r\n" + NEXT);

        HttpResponse response = HttpResponse.read(in, false);

        assertEquals(-1, response.body().read());
        assertEquals(NEXT, rest(in));
    }

    static Stream<Long> seeds() {
        return Stream.of(1L, 17L, 4242L, 0xABCDEFL);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void randomChunksReadOneByteOrManyAtATimeGiveTheBodyBack(long seed) throws IOException {
        Random random = new Random(seed);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < 30; i++) {
            byte[] chunk = new byte[1 + random.nextInt(random.nextBoolean() ? 20 : 100_000)];
            random.nextBytes(chunk);
            String size = Integer.toHexString(chunk.length);
            size = random.nextBoolean() ? size.toUpperCase() : size;
            wire.writeBytes((size + (random.nextInt(3) == 0 ? ";ext=" + i : "") + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            wire.writeBytes(chunk);
            wire.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            body.writeBytes(chunk);
        }
        wire.writeBytes(("0\r\n\r\n" + NEXT).getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = new ByteArrayInputStream(wire.toByteArray());

        InputStream decoded = HttpResponse.read(in, false).body();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 + random.nextInt(5000)];
        while (true) {
            if (random.nextInt(4) == 0) {
                int b = decoded.read();
                if (b < 0) break;
                got.write(b);
            } else {
                int n = decoded.read(buffer, 0, 1 + random.nextInt(buffer.length));
                if (n < 0) break;
                got.write(buffer, 0, n);
            }
        }

        assertArrayEquals(body.toByteArray(), got.toByteArray());
        assertEquals(NEXT, rest(in));
    }

    @Test
    void aChunkedBodyCutShortIsAnError() throws IOException {
        HttpResponse response = HttpResponse.read(wire("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nonly a bit"), false);

        assertThrows(IOException.class, () -> response.body().readAllBytes());
    }

    @Test
    void aContentLengthBodyIsExactlyThatLong() throws IOException {
        InputStream in = wire("HTTP/1.1 201 Created\r\nCONTENT-LENGTH: 11\r\nApi-Version: 1.45\r\n\r\n{\"Id\":\"ab\"}" + NEXT);

        HttpResponse response = HttpResponse.read(in, false);

        assertEquals(201, response.status());
        assertTrue(response.ok());
        assertEquals("1.45", response.headers().get("api-version"), "header names in lower case");
        assertEquals("{\"Id\":\"ab\"}", new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(NEXT, rest(in));
    }

    @Test
    void aContentLengthBodyCutShortIsAnError() throws IOException {
        HttpResponse response = HttpResponse.read(wire("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort"), false);

        assertThrows(IOException.class, () -> response.body().readAllBytes());
    }

    @Test
    void chunkedWinsOverAContentLength() throws IOException {
        InputStream in = wire("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nbody\r\n0\r\n\r\n" + NEXT);

        assertEquals("body", new String(HttpResponse.read(in, false).body().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(NEXT, rest(in));
    }

    @Test
    void aSwitchingProtocolsAnswerLeavesTheRawStream() throws IOException {
        byte[] raw = HexFormat.of().parseHex("0100000000000003616263" + "0d0a0d0a00ff");
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\n"
                + "Upgrade: tcp\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        wire.writeBytes(raw);
        InputStream in = new ByteArrayInputStream(wire.toByteArray());

        HttpResponse response = HttpResponse.read(in, true);

        assertEquals(101, response.status());
        assertFalse(response.ok());
        assertSame(in, response.body());
        assertArrayEquals(raw, response.body().readAllBytes());
    }

    @Test
    void anUpgradedExchangeAnsweredWithAPlain200IsTheRawStreamToo() throws IOException {
        // what some engines (Podman's compatible socket among them) answer to a hijack
        InputStream in = wire("HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\nraw\r\n\r\nbytes");

        HttpResponse response = HttpResponse.read(in, true);

        assertEquals("raw\r\n\r\nbytes", rest(response.body()));
    }

    @Test
    void aNoContentAnswerHasNoBodyAndLeavesTheConnectionAlone() throws IOException {
        InputStream in = wire("HTTP/1.1 204 No Content\r\nApi-Version: 1.45\r\n\r\n" + NEXT);

        HttpResponse response = HttpResponse.read(in, false);

        assertEquals(204, response.status());
        assertEquals(-1, response.body().read());
        assertEquals("", response.text());
        assertEquals(NEXT, rest(in));
    }

    @Test
    void headerValuesKeepTheirColons() throws IOException {
        HttpResponse response = HttpResponse.read(wire("HTTP/1.1 204 No Content\r\nDate: Mon, 02 Jan 2006 15:04:05 GMT\r\n\r\n"), false);

        assertEquals("Mon, 02 Jan 2006 15:04:05 GMT", response.headers().get("date"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage\r\n\r\n", "HTTP/1.1\r\n\r\n", "\r\n\r\n", "HTTP/1.1 abc Bad\r\n\r\n", "HTTP/1.1  200 OK\r\n\r\n",
            "HTTP/1.1 200OK\r\n\r\n", "HTTP/2 200 OK\r\n\r\n", "SSH-2.0-OpenSSH_9.6\r\n", ""})
    void aBrokenStatusLineIsAnIOException(String text) {
        assertThrows(IOException.class, () -> HttpResponse.read(wire(text), false));
    }

    @Test
    void aConnectionClosedInsideTheHeadIsAnIOException() {
        assertThrows(IOException.class, () -> HttpResponse.read(wire("HTTP/1.1 200 OK\r\nContent-Len"), false));
    }

    @Test
    void anEndlessHeaderLineIsAnIOExceptionNotAnOutOfMemory() {
        String endless = "HTTP/1.1 200 OK\r\nX: " + "a".repeat(100_000) + "\r\n\r\n";

        assertThrows(IOException.class, () -> HttpResponse.read(wire(endless), false));
    }
}
