package dev.corral.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Deciding a connection from the preset and the allow and deny rules. */
class NetworkRulesTest {

    private static NetworkRule allow(String pattern) {
        return new NetworkRule(NetworkRule.Action.ALLOW, HostPattern.parse(pattern), NetworkSettings.FROM_RUN);
    }

    private static NetworkRule deny(String pattern) {
        return new NetworkRule(NetworkRule.Action.DENY, HostPattern.parse(pattern), NetworkSettings.FROM_RUN);
    }

    private static NetworkRules rules(NetworkPreset preset, NetworkRule... rules) {
        return new NetworkRules(preset, List.of(rules));
    }

    @Test
    void denyWinsOverAnExactAllow() {
        NetworkRules rules = rules(NetworkPreset.OPEN, allow("api.example.com:443"), allow("api.example.com"), deny("*.example.com"));

        NetworkRules.Outcome outcome = rules.decide("api.example.com", 443);

        assertFalse(outcome.allowed());
        assertEquals("deny *.example.com (run)", outcome.rule());
    }

    @Test
    void denyWinsWhicheverOrderTheRulesComeIn() {
        List<NetworkRule> all = new ArrayList<>(List.of(allow("api.example.com:443"), deny("api.example.com"),
                allow("*.example.com"), allow("api.example.com")));
        for (long seed = 0; seed < 24; seed++) {
            Collections.shuffle(all, new Random(seed));

            assertFalse(new NetworkRules(NetworkPreset.OPEN, all).decide("api.example.com", 443).allowed(), all.toString());
        }
    }

    @Test
    void aDenyRuleOnAnotherPortLeavesTheAllowInForce() {
        NetworkRules rules = rules(NetworkPreset.DENY_ALL, allow("example.com"), deny("example.com:25"));

        assertFalse(rules.decide("example.com", 25).allowed());
        assertTrue(rules.decide("example.com", 443).allowed());
    }

    @Test
    void theMostSpecificAllowIsReported() {
        NetworkRules rules = rules(NetworkPreset.DENY_ALL, allow("*.example.com"), allow("v1.api.example.com:443"),
                allow("*.api.example.com"), allow("v1.api.example.com"));

        assertEquals("allow v1.api.example.com:443 (run)", rules.decide("v1.api.example.com", 443).rule());
        assertEquals("allow v1.api.example.com (run)", rules.decide("v1.api.example.com", 80).rule());
        assertEquals("allow *.api.example.com (run)", rules.decide("v2.api.example.com", 80).rule());
        assertEquals("allow *.example.com (run)", rules.decide("api.example.com", 80).rule());
        assertFalse(rules.decide("example.com", 80).allowed());
    }

    @Test
    void theOpenPresetLetsUnmatchedHostsThrough() {
        NetworkRules.Outcome outcome = rules(NetworkPreset.OPEN).decide("anything.example.net", 443);

        assertTrue(outcome.allowed());
        assertEquals("preset open", outcome.rule());
        assertFalse(outcome.explicit(), "the preset names no host, so it may not lead to private addresses");
    }

    @ParameterizedTest
    @EnumSource(value = NetworkPreset.class, names = {"BALANCED", "DENY_ALL"})
    void theOtherPresetsDenyUnmatchedHosts(NetworkPreset preset) {
        NetworkRules.Outcome outcome = NetworkRules.of(new NetworkSettings(preset, List.of(), List.of()), List.of())
                .decide("unlisted.example.net", 443);

        assertFalse(outcome.allowed());
        assertEquals("no rule allows it, preset " + preset.word(), outcome.rule());
    }

    @Test
    void theBalancedPresetAllowsItsOwnHosts() {
        NetworkRules rules = NetworkRules.of(NetworkSettings.DEFAULT, List.of());

        NetworkRules.Outcome outcome = rules.decide("registry.npmjs.org", 443);

        assertTrue(outcome.allowed());
        assertEquals("allow registry.npmjs.org (preset balanced)", outcome.rule());
    }

    @Test
    void aStoredDenyOverridesAPresetHost() {
        NetworkSettings settings = NetworkSettings.DEFAULT.with(
                new NetworkRule(NetworkRule.Action.DENY, HostPattern.parse("registry.npmjs.org"), NetworkSettings.FROM_POLICY));

        assertFalse(NetworkRules.of(settings, List.of()).decide("registry.npmjs.org", 443).allowed());
    }

    @Test
    void extraRulesJoinTheStoredOnes() {
        NetworkRules rules = NetworkRules.of(new NetworkSettings(NetworkPreset.DENY_ALL, List.of(allow("a.example.com")), List.of()),
                List.of(allow("b.example.com"), deny("a.example.com:22")));

        assertTrue(rules.decide("a.example.com", 443).allowed());
        assertTrue(rules.decide("b.example.com", 443).allowed());
        assertFalse(rules.decide("a.example.com", 22).allowed());
    }

    @Test
    void onlyAnExactAllowIsExplicit() {
        NetworkRules rules = rules(NetworkPreset.DENY_ALL, allow("db.internal.example"), allow("*.corp.example"),
                allow("cache.internal.example:6379"));

        assertTrue(rules.decide("db.internal.example", 5432).explicit());
        assertTrue(rules.decide("cache.internal.example", 6379).explicit());
        assertFalse(rules.decide("git.corp.example", 443).explicit());
    }

    @Test
    void anExactAllowIsExplicitEvenWhenAWildcardAlsoMatches() {
        NetworkRules rules = rules(NetworkPreset.DENY_ALL, allow("*.internal.example"), allow("db.internal.example"));

        NetworkRules.Outcome outcome = rules.decide("db.internal.example", 5432);

        assertTrue(outcome.explicit());
        assertEquals("allow db.internal.example (run)", outcome.rule());
    }

    @ParameterizedTest
    @ValueSource(strings = {"API.Example.COM", "api.example.com.", "API.EXAMPLE.COM."})
    void theHostIsComparedInLowerCaseWithoutItsTrailingDot(String host) {
        NetworkRules rules = rules(NetworkPreset.DENY_ALL, allow("api.example.com"));

        assertTrue(rules.decide(host, 443).allowed());
    }

    @Test
    void anIpv6HostInBracketsMatchesItsRule() {
        NetworkRules rules = rules(NetworkPreset.DENY_ALL, allow("[2001:db8::1]:443"));

        assertTrue(rules.decide("[2001:DB8::1]", 443).allowed());
        assertTrue(rules.decide("2001:db8::1", 443).allowed());
        assertFalse(rules.decide("2001:db8::1", 80).allowed());
    }

    @Test
    void aDenyRuleNamingAnAddressIsFoundForThatAddress() {
        NetworkRules rules = rules(NetworkPreset.OPEN, deny("203.0.113.7"), deny("198.51.100.1:25"), allow("192.0.2.1"));

        assertEquals(Optional.of("deny 203.0.113.7 (run)"), rules.deniedAddress("203.0.113.7", 443));
        assertEquals(Optional.of("deny 198.51.100.1:25 (run)"), rules.deniedAddress("198.51.100.1", 25));
        assertEquals(Optional.empty(), rules.deniedAddress("198.51.100.1", 443));
        assertEquals(Optional.empty(), rules.deniedAddress("192.0.2.1", 443), "an allow rule denies nothing");
        assertEquals(Optional.empty(), rules.deniedAddress("203.0.113.8", 443));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2001:db8:0:0:0:0:0:1", "2001:db8::1", "2001:0db8:0000::0001", "[2001:DB8::1]"})
    void aDenyRuleForAnIpv6AddressMatchesEverySpellingOfIt(String spelling) {
        NetworkRules rules = rules(NetworkPreset.OPEN, deny("[2001:db8::1]"));

        assertTrue(rules.deniedAddress(spelling, 443).isPresent(), spelling);
        assertFalse(rules.decide(spelling, 443).allowed(), spelling);
    }

    @Test
    void aDenyRuleForACompressedIpv6AddressCatchesTheFormTheResolverGives() throws Exception {
        NetworkRules rules = rules(NetworkPreset.OPEN, deny("[fd00:ec2::254]"));
        String resolved = java.net.InetAddress.getByName("[fd00:ec2::254]").getHostAddress();

        assertTrue(rules.deniedAddress(resolved, 80).isPresent(), resolved);
    }

    static LongStream seeds() {
        return LongStream.range(1, 51);
    }

    private static final List<String> HOSTS = List.of("example.com", "api.example.com", "v1.api.example.com", "example.net",
            "cdn.example.net", "203.0.113.7");

    private static NetworkRule randomRule(Random random) {
        String host = HOSTS.get(random.nextInt(HOSTS.size()));
        boolean wildcard = random.nextInt(3) == 0 && !host.startsWith("203");
        String pattern = (wildcard ? "*." : "") + host + (random.nextBoolean() ? ":" + (random.nextBoolean() ? 443 : 80) : "");
        NetworkRule.Action action = random.nextInt(3) == 0 ? NetworkRule.Action.DENY : NetworkRule.Action.ALLOW;
        return new NetworkRule(action, HostPattern.parse(pattern), NetworkSettings.FROM_RUN);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void aMatchingDenyRuleDecidesWhateverElseIsThere(long seed) {
        Random random = new Random(seed);
        List<NetworkRule> all = new ArrayList<>();
        for (int i = random.nextInt(8); i > 0; i--) all.add(randomRule(random));
        NetworkPreset preset = NetworkPreset.values()[random.nextInt(NetworkPreset.values().length)];
        String host = HOSTS.get(random.nextInt(HOSTS.size()));
        int port = random.nextBoolean() ? 443 : 80;

        boolean anyDeny = all.stream().anyMatch(r -> r.action() == NetworkRule.Action.DENY && r.pattern().matches(host, port));
        boolean anyAllow = all.stream().anyMatch(r -> r.action() == NetworkRule.Action.ALLOW && r.pattern().matches(host, port));
        NetworkRules.Outcome outcome = new NetworkRules(preset, all).decide(host, port);

        String context = preset + " " + all + " -> " + host + ":" + port;
        assertEquals(!anyDeny && (anyAllow || preset == NetworkPreset.OPEN), outcome.allowed(), context);
        if (anyDeny) assertTrue(outcome.rule().startsWith("deny "), context);
        if (!anyDeny && anyAllow) assertTrue(outcome.rule().startsWith("allow "), context);

        List<NetworkRule> withDeny = new ArrayList<>(all);
        withDeny.add(random.nextInt(withDeny.size() + 1), deny(host + ":" + port));
        assertFalse(new NetworkRules(preset, withDeny).decide(host, port).allowed(), "adding a deny always denies: " + context);
    }

    @org.junit.jupiter.api.Test
    void aPresetsExactNameDoesNotOpenPrivateAddresses() {
        NetworkRules rules = NetworkRules.of(NetworkSettings.DEFAULT, java.util.List.of());

        NetworkRules.Outcome outcome = rules.decide("registry.npmjs.org", 443);

        org.junit.jupiter.api.Assertions.assertTrue(outcome.allowed());
        org.junit.jupiter.api.Assertions.assertFalse(outcome.explicit(), "only the user's own exact rules may lead to a private address");
    }

    @Test
    void theUsersExactRuleWinsATieWithThePresetsAndMayLeadToAPrivateAddress() {
        NetworkRules rules = NetworkRules.of(new NetworkSettings(NetworkPreset.BALANCED,
                List.of(new NetworkRule(NetworkRule.Action.ALLOW, HostPattern.parse("registry.npmjs.org"), NetworkSettings.FROM_RUN)),
                List.of()), List.of());

        NetworkRules.Outcome outcome = rules.decide("registry.npmjs.org", 443);

        assertEquals("allow registry.npmjs.org (run)", outcome.rule());
        assertTrue(outcome.explicit());
    }

    @ParameterizedTest
    @ValueSource(strings = {"agent claude", "preset balanced", "install"})
    void anExactRuleFromAProfileAPresetOrAnInstallIsNotTheUsersOwn(String source) {
        NetworkRules rules = new NetworkRules(NetworkPreset.DENY_ALL,
                List.of(new NetworkRule(NetworkRule.Action.ALLOW, HostPattern.parse("api.example.com"), source)));

        NetworkRules.Outcome outcome = rules.decide("api.example.com", 443);

        assertTrue(outcome.allowed());
        assertFalse(outcome.explicit(), "a list someone else wrote never opens a private address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "policy", "config config.toml", "user install registry"})
    void anExactRuleOfTheUsersIsExplicit(String source) {
        NetworkRules rules = new NetworkRules(NetworkPreset.DENY_ALL,
                List.of(new NetworkRule(NetworkRule.Action.ALLOW, HostPattern.parse("db.internal.example"), source)));

        assertTrue(rules.decide("db.internal.example", 5432).explicit());
    }
}
