package dev.corral.net;

import java.util.List;

/**
 * An immutable chain of filters. A request that reaches the end without a verdict is denied:
 * only a stage that resolved and checked an address may allow.
 */
public final class FilterChain implements EgressFilter.Chain {
    private final List<EgressFilter> filters;
    private final int index;

    public FilterChain(List<EgressFilter> filters) {
        this(List.copyOf(filters), 0);
    }

    private FilterChain(List<EgressFilter> filters, int index) {
        this.filters = filters;
        this.index = index;
    }

    @Override
    public Verdict proceed(EgressRequest request) {
        if (index >= filters.size()) return Verdict.deny("internal", "no stage checked the address");
        try {
            return filters.get(index).check(request, new FilterChain(filters, index + 1));
        } catch (RuntimeException e) {
            return Verdict.deny("internal", "the check failed: " + e.getMessage());
        }
    }
}
