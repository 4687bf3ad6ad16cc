package dev.corral.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.corral.support.Json;
import java.net.InetAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A line of the decision log and its way back. */
class DecisionTest {
    private static final Instant TIME = Instant.parse("2026-11-29T06:01:56.123456789Z");

    private static Decision allowed() {
        return new Decision(TIME, "connect", "api.example.com", 443, Optional.empty(), true, "allow api.example.com (run)", "",
                Optional.of("203.0.113.7"), 1234, 56789, List.of("github", "openai"), List.of("a placeholder went elsewhere"));
    }

    private static Decision throughJson(Decision decision) {
        return Decision.fromMap(Json.parseObject(Json.write(decision.toMap())));
    }

    @Test
    void anAllowedDecisionSurvivesTheRoundTrip() {
        assertEquals(allowed(), throughJson(allowed()));
        assertEquals(allowed(), Decision.fromMap(allowed().toMap()));
    }

    @Test
    void aDeniedDecisionSurvivesTheRoundTrip() {
        Decision denied = new Decision(TIME, "http", "evil.example", 80, Optional.of("POST"), false, "address",
                "evil.example leads only to addresses a sandbox may not reach: 10.0.0.1 (private)", Optional.empty(), 0, 0, List.of(),
                List.of());

        assertEquals(denied, throughJson(denied));
    }

    @Test
    void emptyPartsAreLeftOutOfTheLine() {
        Decision denied = new Decision(TIME, "socks", "x.example", 22, Optional.empty(), false, "no rule allows it, preset balanced", "",
                Optional.empty(), 0, 0, List.of(), List.of());

        Map<String, Object> map = denied.toMap();

        assertEquals(List.of("time", "protocol", "host", "port", "decision", "rule", "bytesUp", "bytesDown"), List.copyOf(map.keySet()));
        assertEquals("deny", map.get("decision"));
        assertEquals("2026-11-29T06:01:56.123456789Z", map.get("time"));
    }

    @Test
    void aDenialIsMadeFromTheRequestAndTheVerdict() {
        EgressRequest request = EgressRequest.of("http", "example.com", 8080, Optional.of("GET"));

        Decision decision = Decision.denied(request, Verdict.deny("deny example.com (policy)", "because"));

        assertFalse(decision.allowed());
        assertEquals("http", decision.protocol());
        assertEquals("example.com", decision.host());
        assertEquals(8080, decision.port());
        assertEquals(Optional.of("GET"), decision.method());
        assertEquals("deny example.com (policy)", decision.rule());
        assertEquals("because", decision.reason());
        assertEquals(Optional.empty(), decision.address());
    }

    @Test
    void unknownFieldsAndMissingOptionalOnesAreTolerated() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("time", TIME.toString());
        map.put("host", "example.com");
        map.put("port", 443L);
        map.put("decision", "allow");
        map.put("fromTheFuture", Map.of("x", 1L));

        Decision decision = Decision.fromMap(map);

        assertEquals(new Decision(TIME, "", "example.com", 443, Optional.empty(), true, "", "", Optional.empty(), 0, 0, List.of(),
                List.of()), decision);
    }

    @Test
    void theListsAreCopied() {
        java.util.ArrayList<String> secrets = new java.util.ArrayList<>(List.of("a"));
        Decision decision = new Decision(TIME, "http", "h", 1, Optional.empty(), true, "r", "", Optional.of("203.0.113.1"), 0, 0,
                secrets, List.of());

        secrets.add("b");

        assertEquals(List.of("a"), decision.secrets());
    }

    @Test
    void randomDecisionsSurviveTheRoundTrip() {
        Random random = new Random(77);
        for (int i = 0; i < 300; i++) {
            String text = "t\u00e9xt \"quoted\" \\ \n" + random.nextInt();
            Decision decision = new Decision(Instant.ofEpochSecond(random.nextInt(Integer.MAX_VALUE), random.nextInt(1_000_000_000)),
                    List.of("http", "connect", "socks").get(random.nextInt(3)), "h" + random.nextInt(1000) + ".example",
                    1 + random.nextInt(65535), random.nextBoolean() ? Optional.of("GET") : Optional.empty(), random.nextBoolean(),
                    text, random.nextBoolean() ? text : "",
                    random.nextBoolean() ? Optional.of(InetAddress.ofLiteral("2001:db8::" + Integer.toHexString(random.nextInt(65536)))
                            .getHostAddress()) : Optional.empty(),
                    random.nextLong() & Long.MAX_VALUE, random.nextInt() & Integer.MAX_VALUE,
                    random.nextBoolean() ? List.of(text, "s") : List.of(), random.nextBoolean() ? List.of(text) : List.of());

            assertEquals(decision, throughJson(decision));
        }
    }
}
