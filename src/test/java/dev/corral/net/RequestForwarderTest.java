package dev.corral.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Passing requests upstream one after another, secrets put in on the way. */
class RequestForwarderTest {
    private static final String PH = "sk-corral-PLACEHOLDER-0123456789";
    private static final String REAL = "sk-real-secret";
    private static final Optional<String> PLAIN = Optional.of("example.com:80");
    private static final Optional<String> TUNNEL = Optional.empty();

    private static StreamReplacer secrets() {
        return new StreamReplacer(List.of(SecretRoute.of("api", PH, REAL, h -> true)), List.of());
    }

    private static StreamReplacer none() {
        return new StreamReplacer(List.of(), List.of());
    }

    private record Forwarded(String upstream, List<String> notes, long counted) {
    }

    private static Forwarded forward(String client, StreamReplacer replacer, Optional<String> authority) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(client.getBytes(StandardCharsets.ISO_8859_1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicLong up = new AtomicLong();
        RequestForwarder forwarder = new RequestForwarder(in, out, replacer, up, authority);
        forwarder.run(HttpHead.read(in).orElseThrow());
        String upstream = out.toString(StandardCharsets.ISO_8859_1);
        long identity = upstream.split(IDENTITY, -1).length - 1;
        if (replacer.injects()) {
            // every head to a secret's host asks for an uncompressed answer (see ResponseGuard), first
            assertTrue(identity > 0, upstream);
        } else {
            assertEquals(0, identity, "only requests to a secret's host are changed: " + upstream);
        }
        return new Forwarded(upstream.replace(IDENTITY, ""), forwarder.notes(), up.get() - identity * IDENTITY.length());
    }

    private static final String IDENTITY = "Accept-Encoding: identity\r\n";

    @Test
    void aRequestToASecretsHostAsksForAnUncompressedAnswer() throws IOException {
        String client = "GET /v1 HTTP/1.1\r\nHost: api.example.com\r\nAccept-Encoding: gzip, br\r\nTE: gzip\r\n\r\n";
        ByteArrayInputStream in = new ByteArrayInputStream(client.getBytes(StandardCharsets.ISO_8859_1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new RequestForwarder(in, out, secrets(), new AtomicLong(), TUNNEL).run(HttpHead.read(in).orElseThrow());

        assertEquals("GET /v1 HTTP/1.1\r\nAccept-Encoding: identity\r\nHost: api.example.com\r\n\r\n", out.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void anAbsoluteFormRequestIsRewrittenToOriginFormWithTheHostOfTheUrl() throws IOException {
        Forwarded f = forward("GET http://example.com/path/x?q=1#fragment HTTP/1.1\r\nHost: elsewhere.example\r\n"
                + "Proxy-Connection: keep-alive\r\nProxy-Authorization: Basic eDp5\r\nAccept: */*\r\n\r\n", none(), PLAIN);

        assertEquals("GET /path/x?q=1 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n", f.upstream());
        assertEquals(List.of(), f.notes());
    }

    @ParameterizedTest
    @CsvSource({"http://example.com, /", "http://example.com?x=1, /?x=1", "http://example.com#top, /",
            "HTTP://example.com/a, /a", "http://example.com:80/a/b, /a/b"})
    void theOriginFormAlwaysStartsWithASlash(String target, String path) throws IOException {
        Forwarded f = forward("GET " + target + " HTTP/1.1\r\n\r\n", none(), PLAIN);

        assertTrue(f.upstream().startsWith("GET " + path + " HTTP/1.1\r\nHost: "), f.upstream());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://user@example.com/", "http:///path", "https://example.com/", "http://example.com/a\u007fb",
            "http://example.com/\u00e9", "/relative"})
    void aTargetThatIsNotAPlainAbsoluteUrlIsRefused(String target) {
        String request = "GET " + target + " HTTP/1.1\r\n\r\n";

        HttpHead.BadRequest e = assertThrows(HttpHead.BadRequest.class, () -> forward(request, none(), PLAIN));
        assertEquals(400, e.status);
    }

    @Test
    void inATunnelTheRequestKeepsItsTargetAndHostButLosesTheProxyFields() throws IOException {
        Forwarded f = forward("GET /a HTTP/1.1\r\nHost: api.example.com\r\nProxy-Authorization: Basic eDp5\r\n\r\n", none(), TUNNEL);

        assertEquals("GET /a HTTP/1.1\r\nHost: api.example.com\r\n\r\n", f.upstream());
    }

    @Test
    void aPlaceholderInTheHeadIsReplaced() throws IOException {
        Forwarded f = forward("GET /v1 HTTP/1.1\r\nHost: api.example.com\r\nAuthorization: Bearer " + PH + "\r\n\r\n", secrets(), TUNNEL);

        assertEquals("GET /v1 HTTP/1.1\r\nHost: api.example.com\r\nAuthorization: Bearer " + REAL + "\r\n\r\n", f.upstream());
    }

    @Test
    void aContentLengthBodyIsReplacedAndItsLengthFixed() throws IOException {
        String body = "{\"key\":\"" + PH + "\",\"again\":\"" + PH + "\"}";
        String replaced = body.replace(PH, REAL);

        Forwarded f = forward("POST http://example.com/v1 HTTP/1.1\r\nContent-Length: " + body.length() + "\r\nX-Key: " + PH
                + "\r\n\r\n" + body, secrets(), PLAIN);

        assertEquals("POST /v1 HTTP/1.1\r\nHost: example.com\r\nX-Key: " + REAL + "\r\nContent-Length: " + replaced.length()
                + "\r\n\r\n" + replaced, f.upstream());
    }

    @Test
    void aBodyIsCopiedAsItIsWhenThereIsNothingToReplace() throws IOException {
        String body = "a=" + PH;

        Forwarded f = forward("POST /x HTTP/1.1\r\nContent-Length: " + body.length() + "\r\n\r\n" + body, none(), TUNNEL);

        assertEquals("POST /x HTTP/1.1\r\nContent-Length: " + body.length() + "\r\n\r\n" + body, f.upstream());
    }

    @Test
    void onlyTheBodyItsLengthNamesIsForwardedAsThatRequest() throws IOException {
        Forwarded f = forward("POST /x HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET /y HTTP/1.1\r\n\r\n", secrets(), TUNNEL);

        assertEquals("POST /x HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET /y HTTP/1.1\r\n\r\n", f.upstream());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aBodyShorterThanItsLengthIsABadRequest(boolean replacing) {
        HttpHead.BadRequest e = assertThrows(HttpHead.BadRequest.class,
                () -> forward("POST /x HTTP/1.1\r\nContent-Length: 10\r\n\r\nshort", replacing ? secrets() : none(), TUNNEL));

        assertEquals(400, e.status);
    }

    @Test
    void ambiguousFramingIsABadRequest() {
        HttpHead.BadRequest e = assertThrows(HttpHead.BadRequest.class, () -> forward(
                "POST /x HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", secrets(), TUNNEL));

        assertEquals(400, e.status);
    }

    /** The body and trailer fields of a chunked message, and checks that its framing is valid. */
    private record Dechunked(String body, List<String> trailers) {
        static Dechunked of(String message) {
            int at = message.indexOf("\r\n\r\n") + 4;
            StringBuilder body = new StringBuilder();
            while (true) {
                int eol = message.indexOf("\r\n", at);
                int size = Integer.parseInt(message.substring(at, eol), 16);
                at = eol + 2;
                if (size == 0) break;
                body.append(message, at, at + size);
                at += size;
                assertEquals("\r\n", message.substring(at, at + 2), "each chunk ends with CRLF");
                at += 2;
            }
            List<String> trailers = new ArrayList<>();
            while (true) {
                int eol = message.indexOf("\r\n", at);
                String line = message.substring(at, eol);
                at = eol + 2;
                if (line.isEmpty()) break;
                trailers.add(line);
            }
            assertEquals(message.length(), at, "nothing after the last chunk");
            return new Dechunked(body.toString(), trailers);
        }
    }

    private static String chunked(String body, List<Integer> sizes) {
        StringBuilder sb = new StringBuilder();
        int at = 0;
        for (int size : sizes) {
            sb.append(Integer.toHexString(size)).append(size % 2 == 0 ? ";ext=1" : "").append("\r\n")
                    .append(body, at, at + size).append("\r\n");
            at += size;
        }
        return sb.toString();
    }

    @Test
    void aChunkedBodyIsReplacedAcrossChunksAndKeepsItsTrailers() throws IOException {
        String body = "token=" + PH + "&other=" + PH;
        String request = "POST /v1 HTTP/1.1\r\nHost: api.example.com\r\nTransfer-Encoding: chunked\r\n\r\n"
                + chunked(body, List.of(10, 7, body.length() - 17)) + "0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n";

        Forwarded f = forward(request, secrets(), TUNNEL);

        assertTrue(f.upstream().startsWith("POST /v1 HTTP/1.1\r\nHost: api.example.com\r\nTransfer-Encoding: chunked\r\n\r\n"));
        Dechunked d = Dechunked.of(f.upstream());
        assertEquals(body.replace(PH, REAL), d.body());
        assertEquals(List.of("X-Checksum: abc", "X-Other: 1"), d.trailers());
    }

    @Test
    void anEmptyChunkedBodyStaysEmpty() throws IOException {
        Forwarded f = forward("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", secrets(), TUNNEL);

        assertEquals("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", f.upstream());
    }

    @ParameterizedTest
    @ValueSource(strings = {"zz\r\nabc\r\n0\r\n\r\n", "\r\n", "3\r\nabcX\r\n0\r\n\r\n", "5\r\nab", "3\r\nabc\r\n", "-3\r\nabc\r\n0\r\n\r\n", "-3\r\n\r\n0\r\n\r\n",
            "1000000000000000\r\n"})
    void aMalformedChunkedBodyIsABadRequest(String chunks) {
        HttpHead.BadRequest e = assertThrows(HttpHead.BadRequest.class,
                () -> forward("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks, secrets(), TUNNEL));

        assertEquals(400, e.status, chunks);
    }

    @Test
    void keepAliveRequestsAreForwardedOneAfterAnother() throws IOException {
        Forwarded f = forward("GET http://example.com/a HTTP/1.1\r\n\r\n"
                + "POST http://EXAMPLE.com:80/b HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi"
                + "GET http://example.com./c HTTP/1.1\r\n\r\n", none(), PLAIN);

        assertEquals("GET /a HTTP/1.1\r\nHost: example.com\r\n\r\n"
                + "POST /b HTTP/1.1\r\nHost: EXAMPLE.com:80\r\nContent-Length: 2\r\n\r\nhi"
                + "GET /c HTTP/1.1\r\nHost: example.com.\r\n\r\n", f.upstream());
        assertEquals(List.of(), f.notes());
    }

    @Test
    void keepAliveRequestsInATunnelAreEachReplaced() throws IOException {
        Forwarded f = forward("GET /a?k=" + PH + " HTTP/1.1\r\n\r\nGET /b?k=" + PH + " HTTP/1.1\r\n\r\n", secrets(), TUNNEL);

        assertEquals("GET /a?k=" + REAL + " HTTP/1.1\r\n\r\nGET /b?k=" + REAL + " HTTP/1.1\r\n\r\n", f.upstream());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://other.example/b", "http://example.com:8080/b", "/b", "http://example.com@other.example/"})
    void aRequestForAnotherAuthorityEndsTheConnectionWithANote(String target) throws IOException {
        Forwarded f = forward("GET http://example.com/a HTTP/1.1\r\n\r\nGET " + target + " HTTP/1.1\r\n\r\n", secrets(), PLAIN);

        assertEquals("GET /a HTTP/1.1\r\nHost: example.com\r\n\r\n", f.upstream());
        assertEquals(List.of("a request for another host on the same connection ended it"), f.notes());
    }

    @Test
    void anUpgradeRequestSwitchesToARawCopy() throws IOException {
        String raw = "\u0000\u0001\u0081\u00fe frames with " + PH + " GET http://other.example/ HTTP/1.1\r\n\r\n";

        Forwarded f = forward("GET http://example.com/chat HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n" + raw,
                secrets(), PLAIN);

        assertEquals("GET /chat HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n" + raw, f.upstream());
        assertEquals(List.of(), f.notes());
    }

    @Test
    void everyByteSentUpstreamIsCounted() throws IOException {
        String body = "k=" + PH;
        Forwarded f = forward("POST http://example.com/v1 HTTP/1.1\r\nContent-Length: " + body.length() + "\r\n\r\n" + body
                + "POST http://example.com/v2 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(body, List.of(5, body.length() - 5))
                + "0\r\n\r\n", secrets(), PLAIN);

        assertEquals(f.upstream().length(), f.counted());
    }

    @Test
    void aBodyTooLargeToBufferPassesUncheckedWithANote() throws IOException {
        int length = RequestForwarder.BUFFERED_BODY + 1;
        StringBuilder body = new StringBuilder(length).append(PH);
        while (body.length() < length) body.append('x');

        Forwarded f = forward("POST /upload HTTP/1.1\r\nContent-Length: " + length + "\r\n\r\n" + body, secrets(), TUNNEL);

        assertTrue(f.upstream().endsWith("\r\n\r\n" + body), "the body is passed as it is");
        assertEquals(List.of("a body of " + length + " bytes was passed unchecked"), f.notes());
    }

    static LongStream seeds() {
        return LongStream.range(1, 51);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void aRandomBodyInRandomChunksComesOutReplaced(long seed) throws IOException {
        Random random = new Random(seed);
        StringBuilder body = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            body.append(random.nextBoolean() ? PH : PH.substring(0, 1 + random.nextInt(PH.length() - 1)));
            for (int n = random.nextInt(30); n > 0; n--) body.append((char) (random.nextInt(256)));
        }
        List<Integer> sizes = new ArrayList<>();
        int left = body.length();
        while (left > 0) {
            int size = Math.min(left, 1 + random.nextInt(40));
            sizes.add(size);
            left -= size;
        }
        String chunkedRequest = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(body.toString(), sizes) + "0\r\n\r\n";
        String lengthRequest = "POST / HTTP/1.1\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;

        Forwarded chunkedOut = forward(chunkedRequest, secrets(), TUNNEL);
        Forwarded lengthOut = forward(lengthRequest, secrets(), TUNNEL);

        String expected = body.toString().replace(PH, REAL);
        assertEquals(expected, Dechunked.of(chunkedOut.upstream()).body(), "seed " + seed);
        assertTrue(lengthOut.upstream().endsWith("Content-Length: " + expected.length() + "\r\n\r\n" + expected), "seed " + seed);
    }
}
