package dev.corral.policy;

import dev.corral.net.EgressFilter;
import dev.corral.net.EgressRequest;
import dev.corral.net.Verdict;

import java.util.function.Supplier;

/**
 * The policy as a filter handed to the proxy (which knows nothing of rules): the sandbox's current
 * rules, which {@code corral policy} may change while the sandbox runs.
 */
public final class RuleFilter implements EgressFilter {
    private final Supplier<NetworkRules> rules;

    public RuleFilter(Supplier<NetworkRules> rules) {
        this.rules = rules;
    }

    @Override
    public Verdict check(EgressRequest request, Chain chain) {
        NetworkRules.Outcome outcome = rules.get().decide(request.host(), request.port());
        if (!outcome.allowed()) return Verdict.deny(outcome.rule(), "");
        return chain.proceed(request.allowedBy(outcome.rule(), outcome.explicit()));
    }
}
