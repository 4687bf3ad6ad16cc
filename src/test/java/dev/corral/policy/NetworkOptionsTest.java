package dev.corral.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Turning {@code corral run}'s network options into stored settings. */
class NetworkOptionsTest {
    private static final NetworkRule POLICY_DENY =
            new NetworkRule(NetworkRule.Action.DENY, HostPattern.parse("telemetry.example.com"), NetworkSettings.FROM_POLICY);
    private static final NetworkRule OLD_RUN_ALLOW =
            new NetworkRule(NetworkRule.Action.ALLOW, HostPattern.parse("old.example.com"), NetworkSettings.FROM_RUN);

    private static RunOptions options(Optional<String> network, List<String> allow, List<String> deny, List<String> publish) {
        return new RunOptions(Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), network, allow, deny, publish);
    }

    private static RunOptions none() {
        return options(Optional.empty(), List.of(), List.of(), List.of());
    }

    private static NetworkRule fromRun(NetworkRule.Action action, String pattern) {
        return new NetworkRule(action, HostPattern.parse(pattern), NetworkSettings.FROM_RUN);
    }

    private static final NetworkSettings STORED = new NetworkSettings(NetworkPreset.BALANCED, List.of(OLD_RUN_ALLOW, POLICY_DENY),
            List.of(new PublishedPort(8080, 3000)));

    private record Merged(NetworkSettings settings, List<String> changes) {
    }

    private static Merged merge(NetworkSettings old, RunOptions options) {
        List<String> changes = new ArrayList<>();
        NetworkSettings merged = NetworkOptions.merge(old, options, NetworkOptions.rules(options), NetworkOptions.published(options), changes);
        return new Merged(merged, changes);
    }

    @Test
    void allowAndDenyBecomeRulesFromRun() {
        RunOptions options = options(Optional.empty(), List.of("a.example.com", "*.b.example.com"), List.of("c.example.com:25"), List.of());

        assertEquals(List.of(fromRun(NetworkRule.Action.ALLOW, "a.example.com"), fromRun(NetworkRule.Action.ALLOW, "*.b.example.com"),
                fromRun(NetworkRule.Action.DENY, "c.example.com:25")), NetworkOptions.rules(options));
    }

    @Test
    void anOverBroadAllowIsRefused() {
        RunOptions options = options(Optional.empty(), List.of("*.com"), List.of(), List.of());

        assertThrows(PolicyException.class, () -> NetworkOptions.rules(options));
    }

    @Test
    void publishedPortsAreParsedInOrder() {
        RunOptions options = options(Optional.empty(), List.of(), List.of(), List.of("8080:3000", "9000"));

        assertEquals(List.of(new PublishedPort(8080, 3000), new PublishedPort(9000, 9000)), NetworkOptions.published(options));
    }

    @Test
    void aHostPortPublishedTwiceIsRefused() {
        RunOptions options = options(Optional.empty(), List.of(), List.of(), List.of("8080:3000", "8080:4000"));

        PolicyException e = assertThrows(PolicyException.class, () -> NetworkOptions.published(options));
        assertTrue(e.getMessage().contains("8080"), e.getMessage());
    }

    @Test
    void theSameSandboxPortMayBePublishedOnTwoHostPorts() {
        RunOptions options = options(Optional.empty(), List.of(), List.of(), List.of("8080:3000", "8081:3000"));

        assertEquals(2, NetworkOptions.published(options).size());
    }

    @Test
    void noNetworkOptionsKeepEverythingStored() {
        Merged merged = merge(STORED, none());

        assertSame(STORED, merged.settings());
        assertEquals(List.of(), merged.changes());
    }

    @Test
    void anotherPresetIsAChange() {
        Merged merged = merge(STORED, options(Optional.of("open"), List.of(), List.of(), List.of()));

        assertEquals(STORED.withPreset(NetworkPreset.OPEN), merged.settings());
        assertEquals(List.of("network balanced -> open"), merged.changes());
    }

    @Test
    void theSamePresetAgainIsNoChange() {
        Merged merged = merge(STORED, options(Optional.of("balanced"), List.of(), List.of(), List.of()));

        assertEquals(STORED, merged.settings());
        assertEquals(List.of(), merged.changes());
    }

    @Test
    void anUnknownPresetIsRefused() {
        assertThrows(PolicyException.class, () -> merge(STORED, options(Optional.of("wide-open"), List.of(), List.of(), List.of())));
    }

    @Test
    void rulesFromRunReplaceTheEarlierRunsButKeepThePolicyOnes() {
        Merged merged = merge(STORED, options(Optional.empty(), List.of("new.example.com"), List.of(), List.of()));

        assertEquals(List.of(POLICY_DENY, fromRun(NetworkRule.Action.ALLOW, "new.example.com")), merged.settings().rules());
        assertEquals(List.of("network rules [allow old.example.com, deny telemetry.example.com]"
                + " -> [deny telemetry.example.com, allow new.example.com]"), merged.changes());
    }

    @Test
    void theSameRunRulesAgainAreNoChange() {
        Merged merged = merge(STORED.replacingSource(NetworkSettings.FROM_RUN, List.of(OLD_RUN_ALLOW)),
                options(Optional.empty(), List.of("old.example.com"), List.of(), List.of()));

        assertEquals(List.of(), merged.changes());
    }

    @Test
    void newPublishedPortsReplaceTheOldOnes() {
        Merged merged = merge(STORED, options(Optional.empty(), List.of(), List.of(), List.of("9000")));

        assertEquals(List.of(new PublishedPort(9000, 9000)), merged.settings().published());
        assertEquals(List.of("published ports [8080:3000] -> [9000:9000]"), merged.changes());
        assertEquals(STORED.rules(), merged.settings().rules());
    }

    @Test
    void everyChangeIsListedInOrder() {
        Merged merged = merge(STORED, options(Optional.of("deny-all"), List.of(), List.of("old.example.com"), List.of("8080:3000", "1:2")));

        assertEquals(3, merged.changes().size(), merged.changes().toString());
        assertTrue(merged.changes().get(0).startsWith("network balanced -> deny-all"));
        assertTrue(merged.changes().get(1).startsWith("network rules "));
        assertTrue(merged.changes().get(2).startsWith("published ports "));
        assertEquals(new NetworkSettings(NetworkPreset.DENY_ALL,
                List.of(POLICY_DENY, fromRun(NetworkRule.Action.DENY, "old.example.com")),
                List.of(new PublishedPort(8080, 3000), new PublishedPort(1, 2))), merged.settings());
    }
}
