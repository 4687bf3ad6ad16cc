package dev.corral.net;

import dev.corral.policy.RuleFilter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.policy.HostPattern;
import dev.corral.policy.NetworkPreset;
import dev.corral.policy.NetworkRule;
import dev.corral.policy.NetworkRules;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The rule stage and the chain that runs the stages. */
class FilterChainTest {
    private static final InetAddress PUBLIC = InetAddress.ofLiteral("203.0.113.7");
    private final List<EgressRequest> seen = new ArrayList<>();

    /** A last stage that allows whatever reaches it, remembering what it saw. */
    private final EgressFilter allowAll = (request, chain) -> {
        seen.add(request);
        return Verdict.allow(request.rule(), PUBLIC);
    };

    private static EgressRequest request(String host, int port) {
        return EgressRequest.of("http", host, port, Optional.of("GET"));
    }

    private static NetworkRule rule(NetworkRule.Action action, String pattern) {
        return new NetworkRule(action, HostPattern.parse(pattern), dev.corral.policy.NetworkSettings.FROM_RUN);
    }

    @Test
    void aRequestThatReachesTheEndOfTheChainIsDenied() {
        Verdict verdict = new FilterChain(List.of((request, chain) -> chain.proceed(request))).proceed(request("example.com", 80));

        assertFalse(verdict.allowed());
        assertEquals("internal", verdict.rule());
    }

    @Test
    void anEmptyChainDenies() {
        assertFalse(new FilterChain(List.of()).proceed(request("example.com", 80)).allowed());
    }

    @Test
    void aFilterThatThrowsDeniesWithItsMessage() {
        EgressFilter broken = (request, chain) -> {
            throw new IllegalStateException("rules file vanished");
        };

        Verdict verdict = new FilterChain(List.of(broken, allowAll)).proceed(request("example.com", 80));

        assertFalse(verdict.allowed());
        assertEquals("internal", verdict.rule());
        assertTrue(verdict.reason().contains("rules file vanished"), verdict.reason());
        assertEquals(List.of(), seen);
    }

    @Test
    void aLaterFilterThatThrowsDeniesToo() {
        EgressFilter broken = (request, chain) -> {
            throw new NullPointerException("no address");
        };
        EgressFilter pass = (request, chain) -> chain.proceed(request);

        assertFalse(new FilterChain(List.of(pass, broken)).proceed(request("example.com", 80)).allowed());
    }

    @Test
    void aFilterMayAnswerWithoutAskingTheRest() {
        EgressFilter refuse = (request, chain) -> Verdict.deny("first", "no");

        Verdict verdict = new FilterChain(List.of(refuse, allowAll)).proceed(request("example.com", 80));

        assertEquals(Verdict.deny("first", "no"), verdict);
        assertEquals(List.of(), seen);
    }

    @Test
    void filtersRunInOrderAndPassWhatTheyChanged() {
        List<String> order = new ArrayList<>();
        EgressFilter first = (request, chain) -> {
            order.add("first");
            return chain.proceed(request.allowedBy("by first", true));
        };
        EgressFilter second = (request, chain) -> {
            order.add("second");
            return chain.proceed(request);
        };

        Verdict verdict = new FilterChain(List.of(first, second, allowAll)).proceed(request("example.com", 80));

        assertEquals(List.of("first", "second"), order);
        assertTrue(verdict.allowed());
        assertEquals("by first", seen.getFirst().rule());
        assertTrue(seen.getFirst().explicit());
    }

    @Test
    void aChainCanBeUsedForManyRequests() {
        FilterChain chain = new FilterChain(List.of(allowAll));

        chain.proceed(request("a.example.com", 80));
        chain.proceed(request("b.example.com", 80));

        assertEquals(List.of("a.example.com", "b.example.com"), seen.stream().map(EgressRequest::host).toList());
    }

    @Test
    void theRuleStageDeniesWithTheDecidingRuleAndAsksNoFurther() {
        NetworkRules rules = new NetworkRules(NetworkPreset.OPEN, List.of(rule(NetworkRule.Action.DENY, "*.tracker.example")));
        FilterChain chain = new FilterChain(List.of(new RuleFilter(() -> rules), allowAll));

        Verdict verdict = chain.proceed(request("pixel.tracker.example", 443));

        assertFalse(verdict.allowed());
        assertEquals("deny *.tracker.example (run)", verdict.rule());
        assertEquals(List.of(), seen);
    }

    @Test
    void theRuleStagePassesTheAllowingRuleAndWhetherItIsExplicit() {
        NetworkRules rules = new NetworkRules(NetworkPreset.DENY_ALL,
                List.of(rule(NetworkRule.Action.ALLOW, "*.example.com"), rule(NetworkRule.Action.ALLOW, "db.example.com")));
        FilterChain chain = new FilterChain(List.of(new RuleFilter(() -> rules), allowAll));

        chain.proceed(request("www.example.com", 443));
        chain.proceed(request("db.example.com", 5432));

        assertEquals("allow *.example.com (run)", seen.get(0).rule());
        assertFalse(seen.get(0).explicit());
        assertEquals("allow db.example.com (run)", seen.get(1).rule());
        assertTrue(seen.get(1).explicit());
    }

    @Test
    void theRuleStageReadsTheCurrentRulesForEachRequest() {
        AtomicReference<NetworkRules> live = new AtomicReference<>(new NetworkRules(NetworkPreset.OPEN, List.of()));
        FilterChain chain = new FilterChain(List.of(new RuleFilter(live::get), allowAll));

        assertTrue(chain.proceed(request("example.com", 443)).allowed());
        live.set(new NetworkRules(NetworkPreset.OPEN, List.of(rule(NetworkRule.Action.DENY, "example.com"))));
        assertFalse(chain.proceed(request("example.com", 443)).allowed());
    }

    @Test
    void theRuleStageAloneCannotAllow() {
        NetworkRules rules = new NetworkRules(NetworkPreset.OPEN, List.of());

        assertFalse(new FilterChain(List.of(new RuleFilter(() -> rules))).proceed(request("example.com", 443)).allowed());
    }

    @Test
    void rulesThatCannotBeReadDeny() {
        FilterChain chain = new FilterChain(List.of(new RuleFilter(() -> {
            throw new IllegalStateException("policy file unreadable");
        }), allowAll));

        assertFalse(chain.proceed(request("example.com", 443)).allowed());
        assertEquals(List.of(), seen);
    }
}
