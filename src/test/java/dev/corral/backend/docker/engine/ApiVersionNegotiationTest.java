package dev.corral.backend.docker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The API version Corral speaks: the newest both sides know, never below 1.41. */
class ApiVersionNegotiationTest {
    private static final EngineAddress ADDRESS = new EngineAddress(Path.of("/run/test-engine.sock"), false);

    @ParameterizedTest
    @CsvSource({"1.40, 1.12", "1.24, 1.12", "1.9, 1.0", "0.99, 0.1"})
    void anEngineOlderThan141IsRefusedWithAFix(String max, String min) {
        EngineException e = assertThrows(EngineException.class, () -> Engine.negotiate(max, min, ADDRESS));

        assertTrue(e.getMessage().contains(max) && e.getMessage().contains("1.41"), e.getMessage());
        assertTrue(e.getMessage().contains(ADDRESS.toString()), e.getMessage());
        assertTrue(e.fix().orElseThrow().contains("upgrade"), e.fix().orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.48", "1.51", "1.100", "2.0", "2.47"})
    void anEngineNewerThanCorralIsSpokenToIn147(String max) {
        assertEquals(new ApiVersion(1, 47), Engine.negotiate(max, "1.24", ADDRESS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.41", "1.43", "1.45", "1.47"})
    void anEngineInBetweenIsSpokenToInItsOwnVersion(String max) {
        assertEquals(ApiVersion.parse(max), Engine.negotiate(max, "1.12", ADDRESS));
    }

    @Test
    void anEngineWhoseMinimumIsAboveTheChoiceGetsItsMinimum() {
        assertEquals(new ApiVersion(1, 49), Engine.negotiate("1.52", "1.49", ADDRESS));
        assertEquals(new ApiVersion(1, 47), Engine.negotiate("1.47", "1.47", ADDRESS));
    }

    static Stream<Integer> seeds() {
        return IntStream.range(0, 10).boxed();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void theChoiceIsTheEnginesMaximumClampedToCorralsThenRaisedToTheEnginesMinimum(int seed) {
        Random random = new Random(seed * 7919L);
        int max = 41 + random.nextInt(30);
        int min = 12 + random.nextInt(max - 11);

        int expected = Math.max(Math.min(max, 47), min);
        assertEquals(new ApiVersion(1, expected), Engine.negotiate("1." + max, "1." + min, ADDRESS), "max 1." + max + ", min 1." + min);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "abc", "1.x", "x.1", ".", "1.", ".41", "1.41.0", " 1.41", "null", "v1.41", "1,41"})
    void anUnreadableVersionIsAnEngineException(String text) {
        EngineException e = assertThrows(EngineException.class, () -> ApiVersion.parse(text));

        assertTrue(e.getMessage().contains("API version"), e.getMessage());
        assertTrue(e.fix().isPresent());
    }

    @Test
    void garbageFromTheEngineIsRefusedWhicheverBoundItIs() {
        assertThrows(EngineException.class, () -> Engine.negotiate("latest", "1.12", ADDRESS));
        assertThrows(EngineException.class, () -> Engine.negotiate("1.45", "one", ADDRESS));
    }

    @Test
    void versionsCompareByNumberNotByText() {
        assertTrue(ApiVersion.parse("1.9").compareTo(ApiVersion.parse("1.41")) < 0);
        assertTrue(ApiVersion.parse("2.0").compareTo(ApiVersion.parse("1.99")) > 0);
        assertEquals("1.41", ApiVersion.parse("1.41").toString());
    }
}
