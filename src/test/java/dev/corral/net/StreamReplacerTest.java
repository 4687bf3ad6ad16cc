package dev.corral.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Putting secrets in place of their placeholders in a stream that arrives in pieces. */
class StreamReplacerTest {
    private static final SecretRoute GITHUB = SecretRoute.of("github", "ghp_corral_PLACEHOLDER_aaaa", "ghp_REAL_TOKEN_1", h -> true);
    private static final SecretRoute OPENAI = SecretRoute.of("openai", "sk-corral-PH-bbbbbbbbbbbbbbbbbbbb", "sk-REAL-2", h -> true);
    private static final SecretRoute SHORT = SecretRoute.of("short", "PH_cccc!", "a much longer real value than the placeholder", h -> true);
    private static final SecretRoute ANTHROPIC = SecretRoute.of("anthropic", "sk-ant-corral-dddddddddddd", "sk-ant-REAL", h -> true);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Feeds the input in the given pieces and collects everything passed on, the held tail included. */
    private static byte[] run(StreamReplacer replacer, byte[] input, List<Integer> cuts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int from = 0;
        for (int cut : cuts) {
            out.writeBytes(replacer.feed(input, from, cut - from));
            from = cut;
        }
        out.writeBytes(replacer.feed(input, from, input.length - from));
        out.writeBytes(replacer.finish());
        return out.toByteArray();
    }

    private static String expected(String input, List<SecretRoute> replace) {
        String out = input;
        for (SecretRoute s : replace) out = out.replace(text(s.placeholder()), text(s.value()));
        return out;
    }

    @Test
    void aPlaceholderInOnePieceIsReplaced() {
        StreamReplacer replacer = new StreamReplacer(List.of(GITHUB), List.of());

        byte[] out = replacer.all(bytes("Authorization: token ghp_corral_PLACEHOLDER_aaaa\r\n"));

        assertEquals("Authorization: token ghp_REAL_TOKEN_1\r\n", text(out));
        assertEquals(Set.of("github"), replacer.replaced());
        assertEquals(Set.of(), replacer.misdirected());
    }

    @Test
    void aStreamWithoutPlaceholdersPassesUnchanged() {
        StreamReplacer replacer = new StreamReplacer(List.of(GITHUB), List.of(OPENAI));
        byte[] input = bytes("ghp_corral_PLACEHOLDER_aaa? almost, but not quite; sk-corral-PH-");

        assertArrayEquals(input, run(replacer, input, List.of(5, 30, 31)));
        assertEquals(Set.of(), replacer.replaced());
        assertEquals(Set.of(), replacer.misdirected());
    }

    @Test
    void aPlaceholderSplitAtEveryPositionIsStillReplaced() {
        String input = "before ghp_corral_PLACEHOLDER_aaaa after";
        int start = input.indexOf("ghp_");
        for (int cut = start; cut <= start + GITHUB.placeholder().length; cut++) {
            StreamReplacer replacer = new StreamReplacer(List.of(GITHUB), List.of());

            assertEquals("before ghp_REAL_TOKEN_1 after", text(run(replacer, bytes(input), List.of(cut))), "cut at " + cut);
        }
    }

    @Test
    void aPlaceholderSplitIntoSingleBytesIsStillReplaced() {
        String input = "x ghp_corral_PLACEHOLDER_aaaa y sk-corral-PH-bbbbbbbbbbbbbbbbbbbb z";
        List<Integer> cuts = new ArrayList<>();
        for (int i = 1; i < input.length(); i++) cuts.add(i);

        String out = text(run(new StreamReplacer(List.of(GITHUB, OPENAI), List.of()), bytes(input), cuts));

        assertEquals("x ghp_REAL_TOKEN_1 y sk-REAL-2 z", out);
    }

    @Test
    void severalSecretsAreReplacedEachTimeTheyAppear() {
        StreamReplacer replacer = new StreamReplacer(List.of(GITHUB, OPENAI, SHORT), List.of());
        String input = "PH_cccc!ghp_corral_PLACEHOLDER_aaaa,sk-corral-PH-bbbbbbbbbbbbbbbbbbbb,ghp_corral_PLACEHOLDER_aaaaPH_cccc!";

        assertEquals(expected(input, List.of(GITHUB, OPENAI, SHORT)), text(replacer.all(bytes(input))));
        assertEquals(Set.of("github", "openai", "short"), replacer.replaced());
    }

    @Test
    void aDetectOnlyPlaceholderIsLeftAsItIsAndNoted() {
        StreamReplacer replacer = new StreamReplacer(List.of(GITHUB), List.of(OPENAI));
        String input = "a=ghp_corral_PLACEHOLDER_aaaa&b=sk-corral-PH-bbbbbbbbbbbbbbbbbbbb";

        String out = text(run(replacer, bytes(input), List.of(40)));

        assertEquals("a=ghp_REAL_TOKEN_1&b=sk-corral-PH-bbbbbbbbbbbbbbbbbbbb", out);
        assertEquals(Set.of("github"), replacer.replaced());
        assertEquals(Set.of("openai"), replacer.misdirected());
    }

    @Test
    void aDetectOnlyReplacerChangesNothing() {
        StreamReplacer replacer = new StreamReplacer(List.of(), List.of(GITHUB, OPENAI));
        byte[] input = bytes("ghp_corral_PLACEHOLDER_aaaa sk-corral-PH-bbbbbbbbbbbbbbbbbbbb");

        assertArrayEquals(input, run(replacer, input, List.of(3, 17, 40)));
        assertEquals(Set.of("github", "openai"), replacer.misdirected());
        assertFalse(replacer.isIdle());
    }

    @Test
    void aReplacementIsNotScannedAgain() {
        SecretRoute echo = SecretRoute.of("echo", "ECHO_PLACEHOLDER", "ECHO_PLACEHOLDER_ECHO_PLACEHOLDER", h -> true);
        StreamReplacer replacer = new StreamReplacer(List.of(echo), List.of());

        assertEquals("[ECHO_PLACEHOLDER_ECHO_PLACEHOLDER]", text(replacer.all(bytes("[ECHO_PLACEHOLDER]"))));
    }

    @Test
    void finishFlushesTheHeldTail() {
        StreamReplacer replacer = new StreamReplacer(List.of(GITHUB), List.of());
        byte[] input = bytes("the end: ghp_corral_PLACEH");

        byte[] passed = replacer.feed(input, 0, input.length);
        byte[] tail = replacer.finish();

        assertTrue(passed.length < input.length, "a possible partial match is held back");
        assertEquals(text(input), text(passed) + text(tail));
        assertEquals(0, replacer.finish().length, "nothing is held after finishing");
    }

    @Test
    void aTailThatCannotStartAPlaceholderPassesAtOnce() {
        StreamReplacer replacer = new StreamReplacer(List.of(GITHUB), List.of());

        byte[] passed = replacer.feed(bytes("short"), 0, 5);

        assertEquals("short", text(passed));
        assertFalse(replacer.holding());
        assertEquals("", text(replacer.finish()));
    }

    @Test
    void onlyATailThatCouldStartAPlaceholderIsHeld() {
        StreamReplacer replacer = new StreamReplacer(List.of(GITHUB), List.of());
        String start = new String(GITHUB.placeholder(), java.nio.charset.StandardCharsets.UTF_8).substring(0, 4);

        byte[] passed = replacer.feed(bytes("data " + start), 0, 5 + start.length());

        assertEquals("data ", text(passed));
        assertTrue(replacer.holding());
        assertEquals(start, text(replacer.finish()));
    }

    @Test
    void feedingRespectsTheOffsetAndLength() {
        StreamReplacer replacer = new StreamReplacer(List.of(SHORT), List.of());
        byte[] buffer = bytes("XXXXPH_cccc!YYYY");

        String out = text(replacer.feed(buffer, 4, 8)) + text(replacer.finish());

        assertEquals("a much longer real value than the placeholder", out);
    }

    @Test
    void aReplacerWithNoSecretsIsIdleAndPassesEverything() {
        StreamReplacer replacer = new StreamReplacer(List.of(), List.of());
        byte[] input = bytes("anything at all");

        assertTrue(replacer.isIdle());
        assertArrayEquals(input, replacer.feed(input, 0, input.length), "nothing to hold back");
        assertEquals(0, replacer.finish().length);
    }

    @Test
    void indexOfFindsTheFirstOccurrenceFromAPosition() {
        byte[] hay = bytes("abcabcab");

        assertEquals(0, StreamReplacer.indexOf(hay, bytes("abc"), 0));
        assertEquals(3, StreamReplacer.indexOf(hay, bytes("abc"), 1));
        assertEquals(-1, StreamReplacer.indexOf(hay, bytes("abc"), 4));
        assertEquals(-1, StreamReplacer.indexOf(bytes("ab"), bytes("abc"), 0));
    }

    static LongStream seeds() {
        return LongStream.range(1, 201);
    }

    private static final List<SecretRoute> ALL = List.of(GITHUB, OPENAI, SHORT, ANTHROPIC);

    /** Random text with placeholders, near misses (prefixes of placeholders) and arbitrary bytes mixed in. */
    private static String randomInput(Random random) {
        StringBuilder sb = new StringBuilder();
        for (int i = random.nextInt(30); i > 0; i--) {
            switch (random.nextInt(4)) {
                case 0 -> sb.append(text(ALL.get(random.nextInt(ALL.size())).placeholder()));
                case 1 -> {
                    String p = text(ALL.get(random.nextInt(ALL.size())).placeholder());
                    sb.append(p, 0, 1 + random.nextInt(p.length() - 1));
                }
                case 2 -> {
                    for (int n = random.nextInt(20); n > 0; n--) sb.append((char) (' ' + random.nextInt(95)));
                }
                default -> sb.append("\u00e9\u20ac\r\n");
            }
        }
        return sb.toString();
    }

    private static List<Integer> randomCuts(Random random, int length) {
        List<Integer> cuts = new ArrayList<>();
        int at = 0;
        while (at < length) {
            at = Math.min(length, at + random.nextInt(random.nextBoolean() ? 4 : 40));
            cuts.add(at);
        }
        return cuts;
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void anyChunkingGivesTheSameResultAsReplacingTheWhole(long seed) {
        Random random = new Random(seed);
        String input = randomInput(random);
        List<SecretRoute> replace = new ArrayList<>();
        List<SecretRoute> detect = new ArrayList<>();
        for (SecretRoute s : ALL) (random.nextBoolean() ? replace : detect).add(s);
        byte[] in = bytes(input);

        StreamReplacer chunked = new StreamReplacer(replace, detect);
        String out = text(run(chunked, in, randomCuts(random, in.length)));

        assertEquals(expected(input, replace), out, "seed " + seed);
        for (SecretRoute s : replace) assertEquals(input.contains(text(s.placeholder())), chunked.replaced().contains(s.name()));
        for (SecretRoute s : detect) assertEquals(input.contains(text(s.placeholder())), chunked.misdirected().contains(s.name()));
        StreamReplacer whole = new StreamReplacer(replace, detect);
        assertEquals(out, text(whole.all(in)));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void arbitraryBytesAroundAPlaceholderSurvive(long seed) {
        Random random = new Random(seed);
        byte[] before = new byte[random.nextInt(100)];
        byte[] after = new byte[random.nextInt(100)];
        random.nextBytes(before);
        random.nextBytes(after);
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.writeBytes(before);
        in.writeBytes(SHORT.placeholder());
        in.writeBytes(after);
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        want.writeBytes(before);
        want.writeBytes(SHORT.value());
        want.writeBytes(after);
        byte[] input = in.toByteArray();

        byte[] out = run(new StreamReplacer(List.of(SHORT), List.of()), input, randomCuts(random, input.length));

        assertArrayEquals(want.toByteArray(), out, "seed " + seed);
    }
}
