package dev.corral.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Merging what the user typed about the agent with what the sandbox stores. */
class AgentSettingsTest {
    private static final AgentSettings PINNED = new AgentSettings(Optional.of("2.1.0"), false, false);
    private static final AgentSettings FROM_HOST = new AgentSettings(Optional.empty(), true, false);

    private final List<String> changes = new ArrayList<>();

    private static RunOptions.AgentOptions given(String version, String from, String credentials, boolean ssh) {
        return new RunOptions.AgentOptions(Optional.ofNullable(version), Optional.ofNullable(from), Optional.ofNullable(credentials), ssh);
    }

    private AgentSettings merge(AgentSettings old, RunOptions.AgentOptions given) {
        return AgentSettings.merge(old, "claude", given, changes);
    }

    @Test
    void nothingTypedKeepsTheStoredSettingsAndRecordsNoChange() {
        for (AgentSettings old : List.of(AgentSettings.DEFAULT, PINNED, FROM_HOST, new AgentSettings(Optional.empty(), false, true))) {
            assertEquals(old, merge(old, RunOptions.AgentOptions.NONE));
        }
        assertEquals(List.of(), changes);
    }

    @Test
    void aVersionIsPinnedAndTheChangeRecorded() {
        AgentSettings merged = merge(AgentSettings.DEFAULT, given("2.1.0", null, null, false));

        assertEquals(PINNED, merged);
        assertEquals(List.of("agent version newest -> version 2.1.0"), changes);
    }

    @Test
    void newestUnpinsTheVersion() {
        AgentSettings merged = merge(PINNED, given("newest", null, null, false));

        assertEquals(AgentSettings.DEFAULT, merged);
        assertEquals(List.of("agent version 2.1.0 -> version newest"), changes);
    }

    @Test
    void theSameValuesAgainAreNoChange() {
        assertEquals(PINNED, merge(PINNED, given("2.1.0", "cache", "none", false)));
        assertEquals(AgentSettings.DEFAULT, merge(AgentSettings.DEFAULT, given("newest", null, null, false)));
        assertEquals(List.of(), changes);
    }

    @Test
    void fromHostAndBackToTheCache() {
        AgentSettings host = merge(AgentSettings.DEFAULT, given(null, "host", null, false));
        AgentSettings cache = merge(host, given(null, "cache", null, false));

        assertEquals(FROM_HOST, host);
        assertEquals(AgentSettings.DEFAULT, cache);
        assertEquals(List.of("agent version newest -> from host", "agent from host -> version newest"), changes);
    }

    @Test
    void hostCredentialsAreSharedAndUnsharedAndDescribed() {
        AgentSettings shared = merge(AgentSettings.DEFAULT, given(null, null, "host", false));
        AgentSettings unshared = merge(shared, given(null, null, "none", false));

        assertTrue(shared.hostCredentials());
        assertFalse(unshared.hostCredentials());
        assertEquals(List.of("agent version newest -> version newest, host credentials",
                "agent version newest, host credentials -> version newest"), changes);
    }

    @Test
    void theSshAgentIsForThisRunOnlyAndNotStored() {
        assertEquals(PINNED, merge(PINNED, given(null, null, null, true)));
        assertEquals(List.of(), changes);
    }

    @Test
    void aVersionAndTheHostTogetherAreRefused() {
        PolicyException e = assertThrows(PolicyException.class, () -> merge(AgentSettings.DEFAULT, given("2.1.0", "host", null, false)));

        assertEquals("--agent-version does not apply to an agent from the host", e.getMessage());
        assertTrue(e.fix().orElseThrow().contains("--agent-from host"));
    }

    @Test
    void aStoredPinStopsASwitchToTheHostUntilItIsUnpinned() {
        assertThrows(PolicyException.class, () -> merge(PINNED, given(null, "host", null, false)));
        assertEquals(FROM_HOST, merge(PINNED, given("newest", "host", null, false)));
    }

    @Test
    void aVersionForAStoredHostAgentIsRefusedUnlessItReturnsToTheCache() {
        assertThrows(PolicyException.class, () -> merge(FROM_HOST, given("2.1.0", null, null, false)));
        assertEquals(PINNED, merge(FROM_HOST, given("2.1.0", "cache", null, false)));
    }

    static List<RunOptions.AgentOptions> anyAgentOption() {
        return List.of(given("2.1.0", null, null, false), given("newest", null, null, false), given(null, "host", null, false),
                given(null, "cache", null, false), given(null, null, "host", false), given(null, null, "none", false),
                given(null, null, null, true));
    }

    @ParameterizedTest
    @MethodSource("anyAgentOption")
    void aShellRefusesEveryAgentOption(RunOptions.AgentOptions given) {
        PolicyException e = assertThrows(PolicyException.class, () -> AgentSettings.merge(AgentSettings.DEFAULT, "shell", given, changes));

        assertTrue(e.getMessage().contains("apply to agents, not to a shell"), e.getMessage());
        assertTrue(e.fix().orElseThrow().contains("corral run claude"));
        assertEquals(List.of(), changes);
    }

    @Test
    void aShellWithoutAgentOptionsKeepsItsSettings() {
        assertEquals(AgentSettings.DEFAULT, AgentSettings.merge(AgentSettings.DEFAULT, "shell", RunOptions.AgentOptions.NONE, changes));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../1", "1/2", "", "a b", "latest version", "Newest/..", "1..2"})
    void aVersionThatIsNotPlainIsRefused(String version) {
        PolicyException e = assertThrows(PolicyException.class, () -> merge(AgentSettings.DEFAULT, given(version, null, null, false)));

        assertEquals("'" + version + "' is not a version", e.getMessage());
        assertTrue(e.fix().orElseThrow().contains("--agent-version newest"));
    }

    @ParameterizedTest
    @CsvSource({"--agent-from, registry, cache, host", "--agent-from, HOST, cache, host", "--agent-from, '', cache, host",
            "--credentials, all, none, host", "--credentials, Host, none, host", "--credentials, cache, none, host"})
    void anUnknownChoiceIsRefusedNamingTheKnownOnes(String option, String value, String no, String yes) {
        RunOptions.AgentOptions given = option.equals("--agent-from") ? given(null, value, null, false) : given(null, null, value, false);

        PolicyException e = assertThrows(PolicyException.class, () -> merge(AgentSettings.DEFAULT, given));

        assertEquals("unknown value '" + value + "' for " + option, e.getMessage());
        assertEquals("use " + option + " " + no + " or " + option + " " + yes, e.fix().orElseThrow());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''     |false|false|version newest",
            "2.1.0  |false|false|version 2.1.0",
            "''     |true |false|from host",
            "2.1.0  |false|true |version 2.1.0, host credentials",
            "''     |true |true |from host, host credentials",
    })
    void settingsDescribeThemselvesInWords(String version, boolean fromHost, boolean credentials, String words) {
        AgentSettings settings = new AgentSettings(version.isEmpty() ? Optional.empty() : Optional.of(version), fromHost, credentials);

        assertEquals(words, settings.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "2.1.0", "1.0.0-beta.1", "1.0.0+build_7", "newest"})
    void plainVersionsArePlain(String version) {
        assertTrue(AgentSettings.isPlainVersion(version));
    }

    @Test
    void theVersionIsNeverNull() {
        assertThrows(NullPointerException.class, () -> new AgentSettings(null, false, false));
    }
}
