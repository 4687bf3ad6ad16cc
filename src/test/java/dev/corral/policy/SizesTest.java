package dev.corral.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizesTest {

    @ParameterizedTest
    @CsvSource({
            "512m, 536870912",
            "512M, 536870912",
            "1g, 1073741824",
            "1.5G, 1610612736",
            "2GiB, 2147483648",
            "2gb, 2147483648",
            "100k, 102400",
            "100KiB, 102400",
            "1t, 1099511627776",
            "4096, 4096",
            "0, 0",
            "' 64m ', 67108864",
    })
    void unitsAreBinaryAndABareNumberIsBytes(String text, long bytes) {
        assertEquals(bytes, Sizes.parse("--memory", text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "12x", "-5", "-5m", "m", "1.5.5g", "1e9", "0x10", "1 2", "1gg", "1mb2", "abc", "1,5g"})
    void malformedSizesAreRejected(String text) {
        PolicyException e = assertThrows(PolicyException.class, () -> Sizes.parse("--memory", text));

        assertTrue(e.getMessage().contains("--memory"), e.getMessage());
        assertTrue(e.fix().orElseThrow().contains("512m"), e.fix().orElseThrow());
    }

    @Test
    void sizesBeyondAnyMachineAreRejected() {
        assertThrows(PolicyException.class, () -> Sizes.parse("--memory", "99999999t"));
    }

    @ParameterizedTest
    @CsvSource({
            "0, 0 B",
            "1023, 1023 B",
            "1024, 1 KiB",
            "536870912, 512 MiB",
            "1073741824, 1 GiB",
            "1610612736, 1.5 GiB",
            "1099511627776, 1 TiB",
            "1125899906842624, 1024 TiB",
    })
    void formatPrintsTheLargestWholeUnit(long bytes, String text) {
        assertEquals(text, Sizes.format(bytes));
    }

    @ParameterizedTest
    @ValueSource(strings = {"6m", "512m", "1g", "1.5g", "3t"})
    void formatThenParseGivesTheSameSize(String text) {
        long bytes = Sizes.parse("--memory", text);
        String formatted = Sizes.format(bytes);

        assertEquals(bytes, Sizes.parse("--memory", formatted.replace(" ", "")));
    }
}
