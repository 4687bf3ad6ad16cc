package dev.corral.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @Test
    void scalarsRoundTrip() {
        for (Object value : Arrays.asList("text", "", 0L, -17L, 123456789012345678L, true, false, null, 1.5, -0.001, 2.0, 1e-7, 6.02e23)) {
            assertEquals(value, Json.parse(Json.write(value)), String.valueOf(value));
        }
    }

    @Test
    void nestedStructuresRoundTripInOrder() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("z", List.of());
        inner.put("a", Map.of());
        inner.put("list", List.of(1L, "two", List.of(3L, List.of(true)), Map.of("k", "v")));
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put("name", "shell-project");
        outer.put("nested", inner);
        outer.put("nothing", null);

        Object compact = Json.parse(Json.write(outer));
        Object pretty = Json.parse(Json.writePretty(outer));

        assertEquals(outer, compact);
        assertEquals(outer, pretty);
        assertEquals(List.of("name", "nested", "nothing"), List.copyOf(((Map<?, ?>) compact).keySet()));
        assertEquals(List.of("z", "a", "list"), List.copyOf(((Map<?, ?>) ((Map<?, ?>) compact).get("nested")).keySet()));
    }

    @Test
    void compactOutputHasNoWhitespaceAndPrettyOutputIsIndentedWithATrailingNewline() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("a", List.of(1L, 2L));
        map.put("b", Map.of());

        assertEquals("{\"a\":[1,2],\"b\":{}}", Json.write(map));
        assertEquals("{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}\n", Json.writePretty(map));
        assertEquals("[]\n", Json.writePretty(List.of()));
    }

    @Test
    void specialCharactersAreEscaped() {
        String s = "quote\" backslash\\ newline\n return\r tab\t bell\u0007 nul\u0000 unit\u001f";

        String written = Json.write(s);

        assertEquals("\"quote\\\" backslash\\\\ newline\\n return\\r tab\\t bell\\u0007 nul\\u0000 unit\\u001f\"", written);
        assertFalse(written.chars().anyMatch(c -> c < 0x20), "no raw control character in the output");
        assertEquals(s, Json.parse(written));
    }

    @Test
    void nonAsciiTextRoundTrips() {
        for (String s : List.of("é", "日本語", "emoji \uD83D\uDE00", "\u2028\u2029", "\uFEFF")) {
            assertEquals(s, Json.parse(Json.write(s)));
        }
    }

    @Test
    void standardEscapesAreRead() {
        assertEquals("a/b\b\f\n\r\t\"\\é\uD83D\uDE00", Json.parse("\"a\\/b\\b\\f\\n\\r\\t\\\"\\\\\\u00e9\\ud83d\\ude00\""));
    }

    @ParameterizedTest
    @CsvSource({
            "0, 0",
            "-1, -1",
            "123456789012345678, 123456789012345678",
            "-123456789012345678, -123456789012345678",
    })
    void wholeNumbersUpToEighteenDigitsOfEitherSignAreLongs(String text, long value) {
        assertEquals(value, assertInstanceOf(Long.class, Json.parse(text)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "-0.25", "1e3", "2E-2", "1.0", "0.01"})
    void fractionsAndExponentsAreDoubles(String text) {
        assertEquals(Double.parseDouble(text), assertInstanceOf(Double.class, Json.parse(text)));
    }

    @Test
    void everyLongKeepsItsValue() {
        for (long value : new long[]{Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE / 2, 1234567890123456789L, -999999999999999999L}) {
            assertEquals(value, ((Number) Json.parse(Json.write(value))).longValue(), Long.toString(value));
        }
    }

    @Test
    void whitespaceAroundValuesIsAllowed() {
        assertEquals(Map.of("a", List.of(1L, 2L)), Json.parse(" \n\t{ \"a\" : [ 1 , 2 ] } \r\n"));
    }

    @Test
    void parseObjectWantsAnObject() {
        assertEquals(Map.of("a", 1L), Json.parseObject("{\"a\":1}"));
        assertThrows(IllegalArgumentException.class, () -> Json.parseObject("[1]"));
        assertThrows(IllegalArgumentException.class, () -> Json.parseObject("\"a\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "}", "[", "[1,]", "[1 2]", "{\"a\"}", "{\"a\" 1}", "{\"a\":}", "{a:1}",
            "{\"a\":1,}", "\"unterminated", "\"bad escape \\", "\"\\u12\"", "\"\\uZZZZ\"", "tru", "nul", "fals",
            "1 2", "{} x", "-", "+", ".", "1.2.3", "--1", "@", "[\"a\" \"b\"]", "{\"a\":1 \"b\":2}"})
    void malformedJsonIsRejectedWithIllegalArgumentException(String text) {
        assertThrows(IllegalArgumentException.class, () -> Json.parse(text));
    }

    @Test
    void errorsNameTheOffset() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("[1, x]"));

        assertTrue(e.getMessage().contains("offset 4"), e.getMessage());
    }

    @Test
    void randomStringsRoundTrip() {
        Random random = new Random(20250301);
        for (int i = 0; i < 20_000; i++) {
            String s = randomString(random, random.nextInt(40));
            String written = Json.write(s);
            assertEquals(s, Json.parse(written), written);
            assertEquals(List.of(s), Json.parse(Json.writePretty(List.of(s))), written);
        }
    }

    @Test
    void randomDocumentsRoundTrip() {
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            Object value = randomValue(random, 0);
            assertEquals(value, Json.parse(Json.write(value)), Json.write(value));
            assertEquals(value, Json.parse(Json.writePretty(value)), Json.write(value));
        }
    }

    @Test
    void randomGarbageNeverFailsWithAnythingButIllegalArgumentException() {
        Random random = new Random(99);
        String alphabet = "{}[]\":,\\ntrufalse0123456789.-+eE \t\nu";
        for (int i = 0; i < 50_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(20);
            for (int j = 0; j < length; j++) text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            try {
                Json.parse(text.toString());
            } catch (IllegalArgumentException expected) {
                // the only way to fail
            } catch (RuntimeException e) {
                throw new AssertionError("'" + text + "' failed with " + e, e);
            }
        }
    }

    @Test
    void truncatedDocumentsAreRejected() {
        Random random = new Random(3);
        for (int i = 0; i < 500; i++) {
            String written = Json.write(randomContainer(random));
            for (int cut = 0; cut < written.length(); cut++) {
                String prefix = written.substring(0, cut);
                assertThrows(IllegalArgumentException.class, () -> Json.parse(prefix), prefix);
            }
        }
    }

    private static Object randomContainer(Random random) {
        Object value;
        do {
            value = randomValue(random, 0);
        } while (!(value instanceof Map || value instanceof List));
        return value;
    }

    private static Object randomValue(Random random, int depth) {
        int kind = random.nextInt(depth > 4 ? 6 : 8);
        return switch (kind) {
            case 0 -> randomString(random, random.nextInt(12));
            case 1 -> (random.nextLong() % 100_000_000_000_000_000L) >> random.nextInt(60);
            case 2 -> random.nextBoolean();
            case 3 -> null;
            case 4 -> (random.nextInt(100_000) - 50_000) / Math.pow(10, 1 + random.nextInt(4)) + (random.nextBoolean() ? 0.5 : 0);
            case 5 -> (long) random.nextInt(10);
            case 6 -> {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(5); i > 0; i--) list.add(randomValue(random, depth + 1));
                yield list;
            }
            default -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = random.nextInt(5); i > 0; i--) map.put(randomString(random, random.nextInt(8)), randomValue(random, depth + 1));
                yield map;
            }
        };
    }

    private static String randomString(Random random, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(switch (random.nextInt(6)) {
                case 0 -> (char) random.nextInt(0x20);
                case 1 -> "\"\\/".charAt(random.nextInt(3));
                case 2 -> (char) (0x20 + random.nextInt(0x5f));
                case 3 -> (char) (0xA0 + random.nextInt(0x2000));
                case 4 -> new String(Character.toChars(0x1F600 + random.nextInt(80)));
                default -> (char) random.nextInt(0x10000);
            });
        }
        return s.toString();
    }
}
