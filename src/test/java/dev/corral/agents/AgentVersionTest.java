package dev.corral.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which version strings Corral accepts, and which is the newer. */
class AgentVersionTest {

    @ParameterizedTest(name = "{0} is newer than {1}")
    @CsvSource({
            "2.10.0,        2.9.1",
            "2.9.10,        2.9.9",
            "10.0.0,        9.99.99",
            "1.0.0,         1.0.0-beta.1",
            "1.0.0,         1.0.0-rc.2",
            "1.0.0-rc.1,    1.0.0-beta.9",
            "1.0.0-beta.10, 1.0.0-beta.9",
            "1.0.1,         1.0",
            "1.0.0,         1.0",
            "1.1,           1.0.9",
            "2,             1.99",
            "0.86.1,        0.86.0",
            "1.010,         1.9",
            "1.10,          1.09",
            "02.0,          1.99",
            "1.3,           1.002",
            "1.0.0+build.2, 1.0.0+build.1",
            "99999999999999999999.0, 9999999999999999999.0",
    })
    void theNewerVersionSortsFirst(String newer, String older) {
        assertTrue(AgentVersion.ascending(newer, older) > 0, newer + " > " + older);
        assertTrue(AgentVersion.ascending(older, newer) < 0, older + " < " + newer);
        assertTrue(AgentVersion.NEWEST_FIRST.compare(newer, older) < 0);
        assertTrue(AgentVersion.NEWEST_FIRST.compare(older, newer) > 0);
    }

    @Test
    void equalVersionsCompareEqual() {
        assertEquals(0, AgentVersion.ascending("2.1.0", "2.1.0"));
        assertEquals(0, AgentVersion.NEWEST_FIRST.compare("1.0.0-beta.1", "1.0.0-beta.1"));
    }

    @Test
    void leadingZerosSpellTheSameNumberYetTheOrderStaysFixed() {
        int ab = AgentVersion.ascending("1.02", "1.2");
        int ba = AgentVersion.ascending("1.2", "1.02");

        assertTrue(ab != 0, "never equal, so a sorted list of distinct versions has no ties");
        assertEquals(-Integer.signum(ab), Integer.signum(ba));
    }

    @Test
    void aShuffledListSortsNewestFirstWhateverItsOrder() {
        List<String> expected = List.of("10.0.0", "2.10.0", "2.9.1", "2.9.0", "1.0.1", "1.0.0", "1.0.0-rc.1", "1.0.0-beta.2",
                "1.0.0-beta.1", "1.0", "0.9");
        List<String> versions = new ArrayList<>(expected);
        Random random = new Random(17);
        for (int round = 0; round < 50; round++) {
            Collections.shuffle(versions, random);
            versions.sort(AgentVersion.NEWEST_FIRST);

            assertEquals(expected, versions);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "2.1.0", "1.0.0-beta.1", "0.86.1", "1.0.0+build_7", "v1.2", "2025.1.1", "latest", "a",
            "1234567890123456789012345678901234567890123456789012345678901234"})
    void plainVersionsAreAccepted(String version) {
        assertTrue(AgentVersion.isPlain(version), version);
        assertEquals(version, AgentVersion.require(version));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../1", "1/2", "", "a b", "1..2", "..", ".1", "-1", "+1", "_1", "1;rm", "1\n2", "1\u00002", "1:2", "~1",
            "1.0 ", " 1.0", "1.0/", "12345678901234567890123456789012345678901234567890123456789012345", "1.0\\x", "ä1"})
    void versionsThatAreNotPlainAreRefused(String version) {
        assertFalse(AgentVersion.isPlain(version), version);
        AgentException e = assertThrows(AgentException.class, () -> AgentVersion.require(version));
        assertEquals("'" + version + "' is not a version", e.getMessage());
        assertTrue(e.fix().orElseThrow().contains("--agent-version"));
    }

    @Test
    void sixtyFourCharactersAreTheLongestVersion() {
        assertTrue(AgentVersion.isPlain("1".repeat(64)));
        assertFalse(AgentVersion.isPlain("1".repeat(65)));
    }
}
