package dev.corral.app;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SandboxViewTest {
    @ParameterizedTest
    @CsvSource({"0,0s", "59,59s", "60,1m00s", "192,3m12s", "3599,59m59s", "3600,1h00m", "7500,2h05m", "86399,23h59m", "86400,1d00h",
            "270000,3d03h", "-5,0s"})
    void uptimesReadAtAGlance(long seconds, String text) {
        assertEquals(text, SandboxView.durationText(Duration.ofSeconds(seconds)));
    }
}
