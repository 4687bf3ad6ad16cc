package dev.corral.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Changing a sandbox's stored network settings. */
class NetworkSettingsTest {

    private static NetworkRule rule(NetworkRule.Action action, String pattern, String source) {
        return new NetworkRule(action, HostPattern.parse(pattern), source);
    }

    private static final NetworkRule RUN_ALLOW = rule(NetworkRule.Action.ALLOW, "a.example.com", NetworkSettings.FROM_RUN);
    private static final NetworkRule RUN_DENY = rule(NetworkRule.Action.DENY, "b.example.com", NetworkSettings.FROM_RUN);
    private static final NetworkRule POLICY_ALLOW = rule(NetworkRule.Action.ALLOW, "c.example.com", NetworkSettings.FROM_POLICY);

    private static NetworkSettings settings(NetworkRule... rules) {
        return new NetworkSettings(NetworkPreset.DENY_ALL, List.of(rules), List.of(new PublishedPort(8080, 3000)));
    }

    @Test
    void aNewRuleForTheSamePatternReplacesTheOldOneOfEitherAction() {
        NetworkRule policyDeny = rule(NetworkRule.Action.DENY, "a.example.com", NetworkSettings.FROM_POLICY);

        NetworkSettings changed = settings(RUN_ALLOW, POLICY_ALLOW).with(policyDeny);

        assertEquals(List.of(POLICY_ALLOW, policyDeny), changed.rules());
    }

    @Test
    void aRuleForTheSameHostOnAnotherPortIsAnotherRule() {
        NetworkRule onPort = rule(NetworkRule.Action.DENY, "a.example.com:22", NetworkSettings.FROM_POLICY);

        assertEquals(List.of(RUN_ALLOW, onPort), settings(RUN_ALLOW).with(onPort).rules());
    }

    @Test
    void withKeepsThePresetAndThePublishedPorts() {
        NetworkSettings changed = settings(RUN_ALLOW).with(POLICY_ALLOW);

        assertEquals(NetworkPreset.DENY_ALL, changed.preset());
        assertEquals(List.of(new PublishedPort(8080, 3000)), changed.published());
    }

    @Test
    void withoutRemovesEveryRuleForThePattern() {
        NetworkRule again = rule(NetworkRule.Action.DENY, "a.example.com", NetworkSettings.FROM_POLICY);
        NetworkSettings both = new NetworkSettings(NetworkPreset.OPEN, List.of(RUN_ALLOW, POLICY_ALLOW, again), List.of());

        assertEquals(List.of(POLICY_ALLOW), both.without(HostPattern.parse("A.example.com.")).rules());
    }

    @Test
    void withoutAnUnknownPatternLeavesTheSettingsAsTheyWere() {
        NetworkSettings before = settings(RUN_ALLOW, POLICY_ALLOW);

        assertEquals(before, before.without(HostPattern.parse("*.example.com")));
    }

    @Test
    void replacingASourceKeepsTheRulesOfOtherSources() {
        NetworkRule newRun = rule(NetworkRule.Action.ALLOW, "d.example.com", NetworkSettings.FROM_RUN);

        NetworkSettings changed = settings(RUN_ALLOW, POLICY_ALLOW, RUN_DENY).replacingSource(NetworkSettings.FROM_RUN, List.of(newRun));

        assertEquals(List.of(POLICY_ALLOW, newRun), changed.rules());
        assertEquals(List.of(new PublishedPort(8080, 3000)), changed.published());
    }

    @Test
    void replacingASourceWithNothingRemovesItsRules() {
        assertEquals(List.of(POLICY_ALLOW),
                settings(RUN_ALLOW, POLICY_ALLOW, RUN_DENY).replacingSource(NetworkSettings.FROM_RUN, List.of()).rules());
    }

    @Test
    void thePresetAndThePortsCanBeChangedAlone() {
        NetworkSettings before = settings(RUN_ALLOW);

        assertEquals(new NetworkSettings(NetworkPreset.OPEN, before.rules(), before.published()), before.withPreset(NetworkPreset.OPEN));
        assertEquals(new NetworkSettings(before.preset(), before.rules(), List.of()), before.withPublished(List.of()));
    }

    @Test
    void theEffectiveRulesAreThePresetsThenTheStoredOnes() {
        NetworkSettings balanced = new NetworkSettings(NetworkPreset.BALANCED, List.of(RUN_DENY), List.of());

        List<NetworkRule> effective = balanced.effectiveRules();

        assertEquals(NetworkPreset.BALANCED.rules(), effective.subList(0, effective.size() - 1));
        assertSame(RUN_DENY, effective.getLast());
        assertEquals(List.of(RUN_DENY), settings(RUN_DENY).effectiveRules());
    }

    @Test
    void theSettingsKeepACopyOfTheListsTheyWereGiven() {
        List<NetworkRule> rules = new ArrayList<>(List.of(RUN_ALLOW));
        List<PublishedPort> ports = new ArrayList<>(List.of(new PublishedPort(1, 2)));
        NetworkSettings settings = new NetworkSettings(NetworkPreset.OPEN, rules, ports);

        rules.add(POLICY_ALLOW);
        ports.clear();

        assertEquals(List.of(RUN_ALLOW), settings.rules());
        assertEquals(List.of(new PublishedPort(1, 2)), settings.published());
        assertThrows(UnsupportedOperationException.class, () -> settings.rules().add(RUN_DENY));
    }

    @Test
    void aPresetIsRequired() {
        assertThrows(NullPointerException.class, () -> new NetworkSettings(null, List.of(), List.of()));
    }

    @Test
    void theDefaultIsBalancedWithoutRulesOrPorts() {
        assertEquals(new NetworkSettings(NetworkPreset.BALANCED, List.of(), List.of()), NetworkSettings.DEFAULT);
    }
}
