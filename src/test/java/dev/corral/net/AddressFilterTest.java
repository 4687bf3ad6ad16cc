package dev.corral.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.policy.HostPattern;
import dev.corral.policy.NetworkPreset;
import dev.corral.policy.NetworkRule;
import dev.corral.policy.NetworkRules;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The address stage: one lookup, refused ranges dropped, the first address left pinned. */
class AddressFilterTest {
    private final Map<String, List<InetAddress>> names = new HashMap<>();
    private final List<String> lookups = new ArrayList<>();
    private final AddressFilter.Resolver resolver = host -> {
        lookups.add(host);
        List<InetAddress> found = names.get(host);
        if (found == null) throw new UnknownHostException(host);
        return found;
    };
    private static final BiFunction<String, Integer, Optional<String>> NO_DENY = (address, port) -> Optional.empty();
    private static final EgressFilter.Chain UNREACHABLE = request -> {
        throw new AssertionError("the address stage is the last one");
    };

    private void name(String host, String... addresses) {
        names.put(host, java.util.Arrays.stream(addresses).map(InetAddress::ofLiteral).toList());
    }

    private static EgressRequest request(String host) {
        return EgressRequest.of("connect", host, 443, Optional.empty()).allowedBy("allow *.example.com (test)", false);
    }

    private static EgressRequest explicit(String host) {
        return EgressRequest.of("connect", host, 443, Optional.empty()).allowedBy("allow " + host + " (test)", true);
    }

    private Verdict check(EgressRequest request) {
        return new AddressFilter(resolver, NO_DENY).check(request, UNREACHABLE);
    }

    private Verdict check(EgressRequest request, BiFunction<String, Integer, Optional<String>> deniedAddress) {
        return new AddressFilter(resolver, deniedAddress).check(request, UNREACHABLE);
    }

    @Test
    void theFirstAllowedAddressIsPinned() {
        name("api.example.com", "198.51.100.1", "198.51.100.2");

        Verdict verdict = check(request("api.example.com"));

        assertTrue(verdict.allowed());
        assertEquals(Optional.of(InetAddress.ofLiteral("198.51.100.1")), verdict.address());
        assertEquals("allow *.example.com (test)", verdict.rule(), "the verdict keeps the rule that allowed the host");
        assertEquals(List.of("api.example.com"), lookups, "one lookup only");
    }

    @Test
    void aNameLeadingToPrivateAndPublicAddressesGetsThePublicOne() {
        name("mixed.example.com", "10.0.0.5", "127.0.0.1", "2001:db8::7", "198.51.100.9");

        Verdict verdict = check(request("mixed.example.com"));

        assertTrue(verdict.allowed());
        assertEquals(Optional.of(InetAddress.ofLiteral("2001:db8::7")), verdict.address());
    }

    @Test
    void aNameLeadingOnlyToPrivateAddressesIsDeniedWithTheReasons() {
        name("rebind.example.com", "10.0.0.5", "127.0.0.1", "169.254.169.254", "fd00::1");

        Verdict verdict = check(request("rebind.example.com"));

        assertFalse(verdict.allowed());
        assertEquals("address", verdict.rule());
        for (String part : List.of("rebind.example.com", "10.0.0.5 (private)", "127.0.0.1 (loopback)", "169.254.169.254 (cloud metadata)",
                "(private (unique local))")) {
            assertTrue(verdict.reason().contains(part), verdict.reason());
        }
    }

    @Test
    void aNameThatResolvesToNothingIsDenied() {
        name("empty.example.com");

        assertFalse(check(request("empty.example.com")).allowed());
    }

    @Test
    void anExplicitRuleMayLeadToAPrivateAddress() {
        name("db.internal.example", "10.0.0.5");

        Verdict verdict = check(explicit("db.internal.example"));

        assertTrue(verdict.allowed());
        assertEquals(Optional.of(InetAddress.ofLiteral("10.0.0.5")), verdict.address());
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "2130706433", "0x7f.1", "0177.0.0.1", "127.1", "::1", "::ffff:127.0.0.1", "169.254.169.254",
            "0xa9fea9fe", "10.1", "0.0.0.0", "0"})
    void anAddressLiteralIsCheckedWithoutALookup(String host) {
        Verdict verdict = check(request(host));

        assertFalse(verdict.allowed(), host);
        assertEquals(List.of(), lookups);
    }

    @Test
    void aPublicAddressLiteralIsPinnedAsItIs() {
        Verdict verdict = check(request("0xcb.0.113.7"));

        assertTrue(verdict.allowed());
        assertEquals(Optional.of(InetAddress.ofLiteral("203.0.113.7")), verdict.address());
        assertEquals(List.of(), lookups);
    }

    @Test
    void aLiteralDenyRuleOnTheResolvedAddressDenies() {
        name("sneaky.example.com", "203.0.113.7");
        NetworkRules rules = new NetworkRules(NetworkPreset.OPEN,
                List.of(new NetworkRule(NetworkRule.Action.DENY, HostPattern.parse("203.0.113.7"), "policy")));

        Verdict verdict = check(explicit("sneaky.example.com"), rules::deniedAddress);

        assertFalse(verdict.allowed());
        assertEquals("deny 203.0.113.7 (policy)", verdict.rule());
        assertTrue(verdict.reason().contains("sneaky.example.com leads to 203.0.113.7"), verdict.reason());
    }

    @Test
    void aLiteralDenyRuleCatchesAnOddSpellingOfTheAddress() {
        NetworkRules rules = new NetworkRules(NetworkPreset.OPEN,
                List.of(new NetworkRule(NetworkRule.Action.DENY, HostPattern.parse("203.0.113.7"), "policy")));

        assertFalse(check(request("3405803783"), rules::deniedAddress).allowed());
        assertFalse(check(request("0xcb.0.0x7107"), rules::deniedAddress).allowed());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[2001:db8::1]", "2001:db8::1", "2001:db8:0:0:0:0:0:1", "[2001:0db8::0:1]"})
    void aLiteralIpv6DenyRuleOnTheResolvedAddressDenies(String rule) {
        name("v6.example.com", "2001:db8::1");
        NetworkRules rules = new NetworkRules(NetworkPreset.OPEN,
                List.of(new NetworkRule(NetworkRule.Action.DENY, HostPattern.parse(rule), "policy")));

        assertFalse(check(request("v6.example.com"), rules::deniedAddress).allowed(), rule);
        assertFalse(check(request("2001:db8:0::1"), rules::deniedAddress).allowed(), rule);
    }

    @Test
    void aDenyRuleOnAnotherPortDoesNotDeny() {
        name("api.example.com", "203.0.113.7");
        NetworkRules rules = new NetworkRules(NetworkPreset.OPEN,
                List.of(new NetworkRule(NetworkRule.Action.DENY, HostPattern.parse("203.0.113.7:25"), "policy")));

        assertTrue(check(request("api.example.com"), rules::deniedAddress).allowed());
    }

    @Test
    void anUnresolvableNameIsDenied() {
        Verdict verdict = check(request("nowhere.example.com"));

        assertFalse(verdict.allowed());
        assertEquals("address", verdict.rule());
        assertTrue(verdict.reason().contains("does not resolve"), verdict.reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"256.1.1.1", "1.2.3.4.5", "08.1.1.1", "example.123", "0x7g.1", "4294967296", "fe80::1%eth0", "1:2",
            "0000000000000001"})
    void aNumericLookingButInvalidHostIsDeniedWithoutALookup(String host) {
        name(host, "203.0.113.7");

        Verdict verdict = check(request(host));

        assertFalse(verdict.allowed(), host);
        assertTrue(verdict.reason().contains("neither a valid address nor a host name"), verdict.reason());
        assertEquals(List.of(), lookups, "the resolver must never see " + host);
    }

    static LongStream seeds() {
        return LongStream.range(1, 31);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void aRandomMixOfAddressesPinsTheFirstPublicOneOrDenies(long seed) {
        Random random = new Random(seed);
        List<String> privateOnes = List.of("10.0.0.1", "127.0.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "::1", "fe80::1",
                "fd00::1", "::ffff:10.0.0.1");
        List<String> publicOnes = List.of("198.51.100.1", "203.0.113.2", "192.0.2.3", "2001:db8::4", "1.1.1.1");
        List<String> addresses = new ArrayList<>();
        for (int i = 1 + random.nextInt(6); i > 0; i--) {
            List<String> from = random.nextInt(3) == 0 ? publicOnes : privateOnes;
            addresses.add(from.get(random.nextInt(from.size())));
        }
        name("random.example.com", addresses.toArray(String[]::new));
        Optional<InetAddress> firstPublic = addresses.stream().filter(publicOnes::contains).findFirst().map(InetAddress::ofLiteral);

        Verdict verdict = check(request("random.example.com"));
        Verdict explicitVerdict = check(explicit("random.example.com"));

        assertEquals(firstPublic, verdict.address(), addresses.toString());
        assertEquals(firstPublic.isPresent(), verdict.allowed(), addresses.toString());
        assertEquals(Optional.of(InetAddress.ofLiteral(addresses.getFirst())), explicitVerdict.address(), addresses.toString());
    }
}
