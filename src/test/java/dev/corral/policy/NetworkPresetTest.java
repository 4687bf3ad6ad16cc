package dev.corral.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The three starting points of a sandbox's network rules. */
class NetworkPresetTest {

    /** The balanced list as the resource file spells it, read independently of the preset. */
    private static List<String> balancedFile() throws IOException {
        try (InputStream in = NetworkPreset.class.getResourceAsStream("balanced-hosts.txt")) {
            assertNotNull(in, "balanced-hosts.txt is on the class path");
            List<String> hosts = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String host = line.strip();
                if (!host.isEmpty() && !host.startsWith("#")) hosts.add(host);
            }
            return hosts;
        }
    }

    @Test
    void everyEntryOfTheBalancedListParsesAsAnAllowRule() throws IOException {
        List<String> file = balancedFile();
        List<NetworkRule> rules = NetworkPreset.BALANCED.rules();

        assertFalse(file.isEmpty());
        assertEquals(file.size(), rules.size());
        for (int i = 0; i < file.size(); i++) {
            assertEquals(HostPattern.parse(file.get(i)), rules.get(i).pattern(), file.get(i));
            assertEquals(NetworkRule.Action.ALLOW, rules.get(i).action());
            assertEquals("preset balanced", rules.get(i).source());
        }
    }

    @Test
    void theBalancedListHasNoDuplicates() {
        Set<HostPattern> seen = new HashSet<>();
        for (NetworkRule rule : NetworkPreset.BALANCED.rules()) assertTrue(seen.add(rule.pattern()), "twice: " + rule.pattern());
    }

    @Test
    void theBalancedListCoversTheRegistriesAndCodeHostsButNoAgentApi() {
        NetworkRules rules = new NetworkRules(NetworkPreset.BALANCED, NetworkPreset.BALANCED.rules());

        for (String host : List.of("github.com", "registry.npmjs.org", "pypi.org", "repo1.maven.org",
                "crates.io", "proxy.golang.org")) {
            assertTrue(rules.decide(host, 443).allowed(), host);
        }
        assertFalse(rules.decide("example.com", 443).allowed());
        assertFalse(rules.decide("api.anthropic.com", 443).allowed(), "an agent's API comes with its profile");
    }

    @Test
    void theBalancedListNamesNoPrivateOrLoopbackHost() {
        for (NetworkRule rule : NetworkPreset.BALANCED.rules()) {
            String host = rule.pattern().host();
            assertFalse(host.equals("localhost") || host.endsWith(".localhost") || host.endsWith(".internal")
                    || Character.isDigit(host.charAt(0)) || host.contains(":"), host);
        }
    }

    @ParameterizedTest
    @EnumSource(value = NetworkPreset.class, names = {"DENY_ALL", "OPEN"})
    void theOtherPresetsBringNoRules(NetworkPreset preset) {
        assertEquals(List.of(), preset.rules());
    }

    @Test
    void onlyTheOpenPresetLetsUnmatchedHostsThrough() {
        assertTrue(NetworkPreset.OPEN.allowsUnmatched());
        assertFalse(NetworkPreset.BALANCED.allowsUnmatched());
        assertFalse(NetworkPreset.DENY_ALL.allowsUnmatched());
    }

    @Test
    void theDefaultIsBalanced() {
        assertEquals(NetworkPreset.BALANCED, NetworkPreset.DEFAULT);
    }

    @ParameterizedTest
    @EnumSource(NetworkPreset.class)
    void eachPresetReadsBackFromItsWord(NetworkPreset preset) {
        assertEquals(preset, NetworkPreset.parse(preset.word()));
    }

    @Test
    void theWordsAreTheOnesTheCommandLineUses() {
        assertEquals("deny-all", NetworkPreset.DENY_ALL.word());
        assertEquals("balanced", NetworkPreset.BALANCED.word());
        assertEquals("open", NetworkPreset.OPEN.word());
    }

    @ParameterizedTest
    @ValueSource(strings = {"DENY_ALL", "deny_all", "Open", "none", "", " open"})
    void anUnknownPresetIsRejected(String word) {
        PolicyException e = assertThrows(PolicyException.class, () -> NetworkPreset.parse(word));

        assertTrue(e.getMessage().contains("'" + word + "'"), e.getMessage());
    }
}
