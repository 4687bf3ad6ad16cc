package dev.corral.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmokeIT {
    @ParameterizedTest
    @EnumSource(Invoker.class)
    void aCommandRunsInTheWorkspaceAndItsStatusComesBack(Invoker invoker) {
        try (CorralHarness corral = new CorralHarness(invoker)) {
            CorralHarness.Result r = corral.sandbox("pwd; exit 7");
            assertEquals(7, r.exit(), r::toString);
            assertTrue(r.stdout().contains(corral.workspace().toString()), r::toString);
        }
    }
}
