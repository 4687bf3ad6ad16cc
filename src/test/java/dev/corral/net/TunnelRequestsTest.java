package dev.corral.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What passes inside a terminated tunnel to a secret's host, and the checks added after review. */
class TunnelRequestsTest {
    private static final SecretRoute SECRET = SecretRoute.of("demo", "corral-placeholder-0123456789", "real-value-xyz",
            "api.example.com"::equals);

    private static String forward(String client) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(client.getBytes(StandardCharsets.ISO_8859_1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new RequestForwarder(in, out, new StreamReplacer(List.of(SECRET), List.of()), new AtomicLong(), Optional.empty())
                .within(new Authority("api.example.com", 443))
                .run(HttpHead.read(in).orElseThrow());
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"api.example.com", "API.example.com", "api.example.com:443", "api.example.com."})
    void aRequestNamingTheTunnelsHostPasses(String host) throws IOException {
        String out = forward("GET /v1 HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer corral-placeholder-0123456789\r\n\r\n");
        assertTrue(out.contains("Authorization: Bearer real-value-xyz"), out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /v1 HTTP/1.1\r\nHost: other.example.com\r\n\r\n",
            "GET /v1 HTTP/1.1\r\nHost: api.example.com:8443\r\n\r\n",
            "GET /v1 HTTP/1.1\r\n\r\n",
            "GET /v1 HTTP/1.1\r\nHost: api.example.com\r\nHost: other.example.com\r\n\r\n",
            "GET http://other.example.com/v1 HTTP/1.1\r\nHost: api.example.com\r\n\r\n",
            "GET https://api.example.com/v1 HTTP/1.1\r\nHost: api.example.com\r\n\r\n"})
    void aRequestForAnotherSiteBehindTheSameFrontEndIsRefusedBeforeAnyByteGoesUp(String request) {
        HttpHead.BadRequest e = assertThrows(HttpHead.BadRequest.class, () -> forward(request));
        assertEquals(421, e.status);
    }

    @Test
    void aSecondRequestForAnotherSiteIsRefusedToo() {
        ByteArrayInputStream in = new ByteArrayInputStream(("GET /a HTTP/1.1\r\nHost: api.example.com\r\n\r\n"
                + "GET /b HTTP/1.1\r\nHost: other.example.com\r\nAuthorization: corral-placeholder-0123456789\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RequestForwarder forwarder = new RequestForwarder(in, out, new StreamReplacer(List.of(SECRET), List.of()), new AtomicLong(),
                Optional.empty()).within(new Authority("api.example.com", 443));
        assertThrows(HttpHead.BadRequest.class, () -> forwarder.run(HttpHead.read(in).orElseThrow()));
        assertFalse(out.toString(StandardCharsets.ISO_8859_1).contains("real-value-xyz"));
        assertFalse(out.toString(StandardCharsets.ISO_8859_1).contains("/b"));
    }

    @Test
    void anEndlessTrailerIsRefused() {
        StringBuilder request = new StringBuilder("POST /v1 HTTP/1.1\r\nHost: api.example.com\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n");
        for (int i = 0; i < 300; i++) request.append("X-Trailer-").append(i).append(": value\r\n");
        request.append("\r\n");
        HttpHead.BadRequest e = assertThrows(HttpHead.BadRequest.class, () -> forward(request.toString()));
        assertEquals(431, e.status);
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-A: one\rtwo", "X-A: nul\0here", "X-A: del\u007f"})
    void controlCharactersInAFieldAreRefused(String field) {
        HttpHead.BadRequest e = assertThrows(HttpHead.BadRequest.class,
                () -> HttpHead.read(new ByteArrayInputStream(("GET / HTTP/1.1\r\n" + field + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1))));
        assertEquals(400, e.status);
    }

    @Test
    void theHostsOwnAddressesAreRefusedUnlessARuleNamesTheHost() throws Exception {
        InetAddress own = InetAddress.getByName("203.0.113.9");
        AddressFilter filter = new AddressFilter(host -> List.of(own), (a, p) -> Optional.empty(), own::equals);
        EgressFilter.Chain end = r -> Verdict.deny("end", "unreached");

        Verdict refused = filter.check(EgressRequest.of("connect", "me.example", 80, Optional.empty()).allowedBy("allow me.example (run)", false), end);
        Verdict named = filter.check(EgressRequest.of("connect", "me.example", 80, Optional.empty()).allowedBy("allow me.example (run)", true), end);

        assertFalse(refused.allowed());
        assertTrue(refused.reason().contains("this host's own address"), refused.reason());
        assertTrue(named.allowed());
    }
}
