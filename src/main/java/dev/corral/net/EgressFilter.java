package dev.corral.net;

/**
 * One stage of the proxy's decision, in the manner of an HTTP client's interceptors: it may answer
 * itself (usually to deny) or pass the request, perhaps enriched, down the chain. The proxy knows
 * nothing about policy; the policy comes in as a filter. A filter that fails denies.
 */
public interface EgressFilter {
    Verdict check(EgressRequest request, Chain chain);

    /** The rest of the chain after a filter. */
    interface Chain {
        Verdict proceed(EgressRequest request);
    }
}
