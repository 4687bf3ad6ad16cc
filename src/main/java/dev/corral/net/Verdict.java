package dev.corral.net;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * What the filter chain decided for a connection.
 *
 * @param rule    the rule (or check) that decided, as shown in the log
 * @param reason  for a denial, why, in words for the user
 * @param address for an allowed connection, the one checked address to connect to (pinned: no
 *                second name lookup can move it elsewhere)
 */
public record Verdict(boolean allowed, String rule, String reason, Optional<InetAddress> address) {
    public Verdict {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(reason, "reason");
        if (allowed && address.isEmpty()) throw new IllegalArgumentException("an allowed connection needs its address");
    }

    public static Verdict allow(String rule, InetAddress address) {
        return new Verdict(true, rule, "", Optional.of(address));
    }

    /** For the user: the reason and the rule, or the rule alone when it says it all. */
    public String explanation() {
        return reason.isEmpty() ? rule : reason + " [" + rule + "]";
    }

    public static Verdict deny(String rule, String reason) {
        return new Verdict(false, rule, reason, Optional.empty());
    }
}
