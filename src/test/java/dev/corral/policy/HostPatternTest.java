package dev.corral.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing, matching and ordering the host patterns of network rules. */
class HostPatternTest {

    @ParameterizedTest
    @ValueSource(strings = {"2001:db8::1", "2001:db8:0:0:0:0:0:1", "2001:0db8:0000::0001"})
    void anIpv6PatternMatchesEverySpellingOfItsAddress(String name) {
        assertTrue(HostPattern.parse("[2001:db8::1]:443").matches(name, 443), name);
        assertFalse(HostPattern.parse("[2001:db8::1]:443").matches(name, 80), name);
        assertFalse(HostPattern.parse("[2001:db8::2]").matches(name, 443), name);
    }

    @Test
    void anIpv4MappedPatternMatchesItsIpv4Address() {
        assertTrue(HostPattern.parse("[::ffff:203.0.113.7]").matches("203.0.113.7", 443));
        assertTrue(HostPattern.parse("203.0.113.7").matches("::ffff:203.0.113.7", 443));
    }

    @Test
    void aNameIsNeverTakenForAnAddress() {
        assertFalse(HostPattern.parse("example.com").matches("::1", 443));
        assertFalse(HostPattern.parse("[::1]").matches("localhost", 443));
    }

    @Test
    void anExactNameIsLowerCasedAndLosesItsTrailingDot() {
        HostPattern p = HostPattern.parse(" API.GitHub.com. ");

        assertEquals(new HostPattern("api.github.com", false, OptionalInt.empty()), p);
    }

    @Test
    void aWildcardKeepsOnlyTheSuffix() {
        HostPattern p = HostPattern.parse("*.Example.com");

        assertTrue(p.wildcard());
        assertEquals("example.com", p.host());
        assertEquals(OptionalInt.empty(), p.port());
    }

    @Test
    void aPortIsKept() {
        assertEquals(OptionalInt.of(8443), HostPattern.parse("example.com:8443").port());
        assertEquals(OptionalInt.of(443), HostPattern.parse("*.example.com:443").port());
        assertEquals(OptionalInt.of(1), HostPattern.parse("example.com:1").port());
        assertEquals(OptionalInt.of(65535), HostPattern.parse("example.com:65535").port());
    }

    @Test
    void anIpv4AddressIsAnExactHost() {
        assertEquals(new HostPattern("203.0.113.7", false, OptionalInt.of(22)), HostPattern.parse("203.0.113.7:22"));
    }

    @Test
    void anIpv6AddressInBracketsMayCarryAPort() {
        assertEquals(new HostPattern("2001:db8::1", false, OptionalInt.empty()), HostPattern.parse("[2001:DB8::1]"));
        assertEquals(new HostPattern("2001:db8::1", false, OptionalInt.of(443)), HostPattern.parse("[2001:db8::1]:443"));
    }

    @Test
    void aBareIpv6AddressHasNoPort() {
        assertEquals(new HostPattern("2001:db8::1", false, OptionalInt.empty()), HostPattern.parse("2001:db8::1"));
        assertEquals(new HostPattern("::1", false, OptionalInt.empty()), HostPattern.parse("::1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "*.", "", "   ", "*:443", "."})
    void aPatternForEveryHostIsRejected(String text) {
        PolicyException e = assertThrows(PolicyException.class, () -> HostPattern.parse(text));

        assertTrue(e.getMessage().contains("matches every host"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"*.com", "*.org:443", "*.COM.", "*.localhost"})
    void aWildcardOverATopLevelDomainIsRejected(String text) {
        PolicyException e = assertThrows(PolicyException.class, () -> HostPattern.parse(text));

        assertTrue(e.getMessage().contains("too broad"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"exa mple.com", "foo.*.com", "*.*.example.com", "**.example.com", "*example.com", "a..b.com",
            "-a.example.com", "a-.example.com", "ex@mple.com", "a/b.com", "example.com:0", "example.com:65536",
            "example.com:http", "example.com:", "example.com:-1", "http://example.com", "[::1", "[::1]x", "[::1]:",
            "[::1]:0", "[example.com]", "[1.2.3.4]", "[]", "2001:db8::g", "caf\u00e9.example.com"})
    void aMalformedPatternIsRejectedWithItsText(String text) {
        PolicyException e = assertThrows(PolicyException.class, () -> HostPattern.parse(text));

        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    @Test
    void aLabelMayHaveSixtyThreeCharactersButNotMore() {
        String longest = "a".repeat(63);

        assertEquals(longest + ".example.com", HostPattern.parse(longest + ".example.com").host());
        assertThrows(PolicyException.class, () -> HostPattern.parse("a" + longest + ".example.com"));
    }

    @Test
    void anExactPatternMatchesOnlyItsOwnHost() {
        HostPattern p = HostPattern.parse("example.com");

        assertTrue(p.matches("example.com", 443));
        assertFalse(p.matches("www.example.com", 443));
        assertFalse(p.matches("example.com.evil.net", 443));
        assertFalse(p.matches("notexample.com", 443));
    }

    @Test
    void aWildcardMatchesSubdomainsAtAnyDepthButNotTheDomainItself() {
        HostPattern p = HostPattern.parse("*.example.com");

        assertTrue(p.matches("api.example.com", 443));
        assertTrue(p.matches("a.b.c.example.com", 80));
        assertFalse(p.matches("example.com", 443));
        assertFalse(p.matches("evilexample.com", 443));
        assertFalse(p.matches("example.com.evil.net", 443));
    }

    @Test
    void aPortRestrictsTheMatchWhileNoPortMatchesEveryPort() {
        HostPattern withPort = HostPattern.parse("example.com:443");
        HostPattern anyPort = HostPattern.parse("example.com");

        assertTrue(withPort.matches("example.com", 443));
        assertFalse(withPort.matches("example.com", 80));
        for (int port : new int[] {1, 22, 80, 443, 65535}) assertTrue(anyPort.matches("example.com", port));
    }

    @Test
    void anExactHostAndPortIsMoreSpecificThanTheHostThanALongerWildcardThanAShorterOne() {
        List<HostPattern> expected = List.of(HostPattern.parse("api.example.com:443"), HostPattern.parse("api.example.com"),
                HostPattern.parse("*.deep.api.example.com"), HostPattern.parse("*.api.example.com"), HostPattern.parse("*.example.com"));
        for (long seed = 0; seed < 20; seed++) {
            List<HostPattern> shuffled = new ArrayList<>(expected);
            Collections.shuffle(shuffled, new Random(seed));
            shuffled.sort(Comparator.comparingLong(HostPattern::specificity).reversed());

            assertEquals(expected, shuffled, "seed " + seed);
        }
    }

    @Test
    void evenTheLongestWildcardIsLessSpecificThanAnExactHost() {
        String suffix = ("a".repeat(63) + ".").repeat(3) + "com";

        assertTrue(HostPattern.parse("*." + suffix + ":443").specificity() < HostPattern.parse("x.com").specificity());
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "example.com:8080", "*.example.com", "*.example.com:443", "203.0.113.7",
            "203.0.113.7:22", "[2001:db8::1]", "[2001:db8::1]:443", "::1", "under_score.example.com"})
    void aPatternReadsBackFromItsOwnText(String text) {
        HostPattern p = HostPattern.parse(text);

        assertEquals(p, HostPattern.parse(p.toString()));
    }

    @ParameterizedTest
    @CsvSource({"EXAMPLE.com:80, example.com:80", "*.Example.COM., *.example.com", "[2001:DB8::1]:443, [2001:db8::1]:443"})
    void thePatternIsShownNormalised(String text, String shown) {
        assertEquals(shown, HostPattern.parse(text).toString());
    }

    @Test
    void thePortMustBeInRangeEvenWhenBuiltDirectly() {
        assertThrows(IllegalArgumentException.class, () -> new HostPattern("example.com", false, OptionalInt.of(0)));
        assertThrows(IllegalArgumentException.class, () -> new HostPattern("example.com", false, OptionalInt.of(65536)));
    }

    static LongStream seeds() {
        return LongStream.range(1, 41);
    }

    private static String label(Random random) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-";
        int length = 1 + random.nextInt(12);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            char c = alphabet.charAt(random.nextInt(alphabet.length()));
            if (c == '-' && (i == 0 || i == length - 1)) c = 'x';
            sb.append(c);
        }
        return sb.toString();
    }

    private static String name(Random random, int labels) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < labels; i++) parts.add(label(random));
        return String.join(".", parts);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void randomNamesMatchTheirExactPatternAndTheirParentsWildcards(long seed) {
        Random random = new Random(seed);
        String suffix = name(random, 2 + random.nextInt(2));
        String host = name(random, 1 + random.nextInt(3)) + "." + suffix;
        int port = 1 + random.nextInt(65535);

        HostPattern exact = HostPattern.parse(host.toUpperCase(java.util.Locale.ROOT) + (random.nextBoolean() ? "." : ""));
        HostPattern wildcard = HostPattern.parse("*." + suffix);
        HostPattern wildcardOnPort = HostPattern.parse("*." + suffix + ":" + port);

        assertTrue(exact.matches(host, port), host);
        assertTrue(wildcard.matches(host, port), host);
        assertFalse(wildcard.matches(suffix, port), "the wildcard's own domain: " + suffix);
        assertTrue(wildcardOnPort.matches(host, port));
        assertFalse(wildcardOnPort.matches(host, port == 65535 ? 1 : port + 1));
        assertFalse(exact.matches("x" + host, port), "a longer name is another host");
        assertFalse(wildcard.matches(host + "x", port), "a name that merely ends like the domain");
        assertTrue(exact.specificity() > wildcard.specificity());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"*.co.uk", "*.github.io", "*.herokuapp.com", "*.amazonaws.com"})
    void aWildcardOverASharedSuffixIsTooBroad(String pattern) {
        PolicyException e = org.junit.jupiter.api.Assertions.assertThrows(PolicyException.class, () -> HostPattern.parse(pattern));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("too broad"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertEquals("myapp.github.io", HostPattern.parse("myapp.github.io").host());
    }
}
