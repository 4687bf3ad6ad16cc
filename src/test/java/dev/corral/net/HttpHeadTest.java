package dev.corral.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading request heads strictly, and how their bodies are framed. */
class HttpHeadTest {

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static HttpHead read(String text) throws IOException {
        return HttpHead.read(stream(text)).orElseThrow();
    }

    private static HttpHead.BadRequest bad(String text) {
        return assertThrows(HttpHead.BadRequest.class, () -> HttpHead.read(stream(text)));
    }

    private static HttpHead head(String... headers) {
        List<HttpHead.Header> list = new ArrayList<>();
        for (String h : headers) {
            int colon = h.indexOf(':');
            list.add(new HttpHead.Header(h.substring(0, colon), h.substring(colon + 1).strip()));
        }
        return new HttpHead("POST", "/", "HTTP/1.1", list);
    }

    @Test
    void aRequestWithCrlfLinesIsRead() throws IOException {
        HttpHead head = read("GET http://example.com/a?b=c HTTP/1.1\r\nHost: example.com\r\nAccept:  */*  \r\n\r\n");

        assertEquals("GET", head.method());
        assertEquals("http://example.com/a?b=c", head.target());
        assertEquals("HTTP/1.1", head.version());
        assertEquals(List.of(new HttpHead.Header("Host", "example.com"), new HttpHead.Header("Accept", "*/*")), head.headers());
    }

    @Test
    void bareLineFeedsAreAcceptedToo() throws IOException {
        HttpHead head = read("POST /x HTTP/1.0\nContent-Length: 3\n\nabc");

        assertEquals("POST", head.method());
        assertEquals("HTTP/1.0", head.version());
        assertEquals(Optional.of("3"), head.value("content-length"));
    }

    @Test
    void theHeadEndsAtTheEmptyLineAndLeavesTheBodyInTheStream() throws IOException {
        InputStream in = stream("POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\nbodyGET / HTTP/1.1\r\n\r\n");

        HttpHead.read(in);

        assertEquals("body", new String(in.readNBytes(4), StandardCharsets.ISO_8859_1));
        assertEquals("GET", HttpHead.read(in).orElseThrow().method());
        assertEquals(Optional.empty(), HttpHead.read(in));
    }

    @Test
    void anEmptyStreamHasNoHead() throws IOException {
        assertEquals(Optional.empty(), HttpHead.read(stream("")));
    }

    @Test
    void emptyLinesBeforeARequestAreTolerated() throws IOException {
        assertEquals("GET", read("\r\n\n\r\nGET / HTTP/1.1\r\n\r\n").method());
    }

    @ParameterizedTest
    @ValueSource(strings = {"G", "GET / HTTP/1.1", "GET / HTTP/1.1\r\nHost: x\r\n", "\r\n"})
    void aStreamEndingInsideTheHeadIsABadRequest(String text) {
        assertEquals(400, bad(text).status);
    }

    @Test
    void aHeadOfExactlyTheLimitIsRead() throws IOException {
        String start = "GET / HTTP/1.1\r\nX-Fill: ";
        String fill = "a".repeat(HttpHead.MAX_BYTES - start.length() - 4);

        assertEquals(fill, read(start + fill + "\r\n\r\n").value("X-Fill").orElseThrow());
    }

    @Test
    void aHeadLargerThanTheLimitIs431() {
        String start = "GET / HTTP/1.1\r\nX-Fill: ";
        String fill = "a".repeat(HttpHead.MAX_BYTES - start.length() - 3);

        assertEquals(431, bad(start + fill + "\r\n\r\n").status);
    }

    @Test
    void anEndlessLineStopsAtTheLimit() {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'a';
            }
        };

        HttpHead.BadRequest e = assertThrows(HttpHead.BadRequest.class, () -> HttpHead.read(endless));
        assertEquals(431, e.status);
    }

    private static String withFields(int count) {
        StringBuilder sb = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i < count; i++) sb.append("X-").append(i).append(": v\r\n");
        return sb.append("\r\n").toString();
    }

    @Test
    void twoHundredHeaderFieldsAreRead() throws IOException {
        assertEquals(HttpHead.MAX_FIELDS, read(withFields(HttpHead.MAX_FIELDS)).headers().size());
    }

    @Test
    void moreThanTwoHundredHeaderFieldsAre431() {
        assertEquals(431, bad(withFields(HttpHead.MAX_FIELDS + 1)).status);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /", "GET", "GET  / HTTP/1.1", "GET / HTTP/1.1 extra", "GET / HTTP/2.0", "GET / http/1.1", " / HTTP/1.1",
            "G(T / HTTP/1.1", "GET\t/ HTTP/1.1", "GET / HTTP/1.1 ", "GET  HTTP/1.1", "GÉT / HTTP/1.1"})
    void aMalformedRequestLineIs400(String line) {
        HttpHead.BadRequest e = bad(line + "\r\nHost: x\r\n\r\n");

        assertEquals(400, e.status, line);
        assertEquals("malformed request line", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"NoColon", ": value", "Bad Name: x", " folded: continuation", "\tfolded", "Name : value", "Na(me: v",
            "Host\t: x"})
    void aMalformedHeaderFieldIs400(String field) {
        HttpHead.BadRequest e = bad("GET / HTTP/1.1\r\nHost: x\r\n" + field + "\r\n\r\n");

        assertEquals(400, e.status, field);
        assertEquals("malformed header field", e.getMessage());
    }

    @Test
    void aValueMayBeEmptyOrHoldColons() throws IOException {
        HttpHead head = read("GET / HTTP/1.1\r\nX-Empty:\r\nHost: example.com:8080\r\n\r\n");

        assertEquals(Optional.of(""), head.value("x-empty"));
        assertEquals(Optional.of("example.com:8080"), head.value("HOST"));
    }

    @Test
    void valuesAreFoundWhateverTheCaseOfTheName() {
        HttpHead head = head("Accept: a", "ACCEPT: b", "accept: c");

        assertEquals(List.of("a", "b", "c"), head.values("aCcEpT"));
        assertEquals(Optional.of("a"), head.value("accept"));
        assertEquals(Optional.empty(), head.value("Host"));
    }

    @Test
    void theProxysOwnFieldsAreDroppedAndTheRestKept() {
        HttpHead head = head("Host: h", "Proxy-Connection: keep-alive", "proxy-authorization: Basic eDp5", "Connection: close",
                "Proxy-Other: kept");

        assertEquals(head("Host: h", "Connection: close", "Proxy-Other: kept").headers(), head.withoutProxyFields().headers());
    }

    @Test
    void anUpgradeRequestIsRecognised() {
        assertTrue(head("Upgrade: websocket", "Connection: Upgrade").isUpgrade());
        assertEquals(false, head("Connection: keep-alive").isUpgrade());
    }

    // --- body framing

    @Test
    void noFramingMeansNoBody() throws IOException {
        assertEquals(0, head("Host: h").bodyLength());
    }

    @Test
    void contentLengthGivesTheLength() throws IOException {
        assertEquals(42, head("Content-Length: 42").bodyLength());
        assertEquals(0, head("content-length: 0").bodyLength());
        assertEquals(7, head("Content-Length: 7", "Content-Length: 7").bodyLength(), "repeated but equal");
    }

    @ParameterizedTest
    @ValueSource(strings = {"chunked", "Chunked", "CHUNKED"})
    void chunkedIsMinusOne(String value) throws IOException {
        assertEquals(-1, head("Transfer-Encoding: " + value).bodyLength());
    }

    @Test
    void transferEncodingAndContentLengthTogetherAre400() {
        HttpHead.BadRequest e = assertThrows(HttpHead.BadRequest.class,
                () -> head("Content-Length: 5", "Transfer-Encoding: chunked").bodyLength());

        assertEquals(400, e.status);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "gzip, chunked", "chunked, chunked", "identity", "", "chunked;q=1"})
    void anUnsupportedTransferEncodingIs501(String value) {
        HttpHead.BadRequest e = assertThrows(HttpHead.BadRequest.class, () -> head("Transfer-Encoding: " + value).bodyLength());

        assertEquals(501, e.status, value);
    }

    @Test
    void twoTransferEncodingFieldsAre501() {
        HttpHead.BadRequest e = assertThrows(HttpHead.BadRequest.class,
                () -> head("Transfer-Encoding: chunked", "Transfer-Encoding: chunked").bodyLength());

        assertEquals(501, e.status);
    }

    @Test
    void conflictingContentLengthsAre400() {
        HttpHead.BadRequest e = assertThrows(HttpHead.BadRequest.class,
                () -> head("Content-Length: 5", "Content-Length: 6").bodyLength());

        assertEquals(400, e.status);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "+5", "abc", "", "5 5", "5, 5", "0x10", "1e3", "99999999999999999999", "\u00b2"})
    void anInvalidContentLengthIs400(String value) {
        HttpHead.BadRequest e = assertThrows(HttpHead.BadRequest.class, () -> head("Content-Length: " + value).bodyLength());

        assertEquals(400, e.status, value);
    }

    // --- round trips and fuzzing

    static LongStream seeds() {
        return LongStream.range(1, 101);
    }

    private static final String TOKEN_CHARS = "!#$%&'*+.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-";

    private static String token(Random random) {
        StringBuilder sb = new StringBuilder();
        for (int n = 1 + random.nextInt(12); n > 0; n--) sb.append(TOKEN_CHARS.charAt(random.nextInt(TOKEN_CHARS.length())));
        return sb.toString();
    }

    private static String value(Random random) {
        StringBuilder sb = new StringBuilder();
        for (int n = random.nextInt(30); n > 0; n--) sb.append((char) (0x21 + random.nextInt(0x5e)));
        if (sb.length() > 2 && random.nextBoolean()) sb.setCharAt(1 + random.nextInt(sb.length() - 2), ' ');
        return sb.toString();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void aRandomHeadReadsBackFromItsText(long seed) throws IOException {
        Random random = new Random(seed);
        List<HttpHead.Header> headers = new ArrayList<>();
        for (int i = random.nextInt(20); i > 0; i--) headers.add(new HttpHead.Header(token(random), value(random)));
        HttpHead head = new HttpHead(token(random), "/" + value(random).replace(" ", ""), random.nextBoolean() ? "HTTP/1.1" : "HTTP/1.0",
                headers);

        assertEquals(head, read(head.text()));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void randomBytesEitherReadOrAreRefusedButNeverBreakTheReader(long seed) {
        Random random = new Random(seed);
        byte[] garbage = new byte[random.nextInt(400)];
        random.nextBytes(garbage);
        if (random.nextBoolean()) {
            byte[] prefix = "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1);
            System.arraycopy(prefix, 0, garbage, 0, Math.min(prefix.length, garbage.length));
        }

        try {
            HttpHead.read(new ByteArrayInputStream(garbage)).ifPresent(head -> {
                try {
                    head.bodyLength();
                } catch (HttpHead.BadRequest e) {
                    assertTrue(e.status == 400 || e.status == 501);
                }
            });
        } catch (HttpHead.BadRequest e) {
            assertTrue(e.status == 400 || e.status == 431, "status " + e.status);
        } catch (IOException e) {
            throw new AssertionError("only BadRequest may come out of a byte array", e);
        }
    }
}
