package dev.corral.policy;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether a sandbox may connect to a host and port: a deny rule that matches always wins;
 * otherwise the most specific allow rule decides (exact {@code host:port}, then exact host, then
 * the longest wildcard); otherwise the preset ({@code open} lets the rest through).
 */
public final class NetworkRules {
    private final NetworkPreset preset;
    private final List<NetworkRule> rules;

    public NetworkRules(NetworkPreset preset, List<NetworkRule> rules) {
        this.preset = preset;
        this.rules = List.copyOf(rules);
    }

    public static NetworkRules of(NetworkSettings settings, List<NetworkRule> extra) {
        List<NetworkRule> all = new java.util.ArrayList<>(settings.effectiveRules());
        all.addAll(extra);
        return new NetworkRules(settings.preset(), all);
    }

    /**
     * The outcome for one connection.
     *
     * @param rule     the rule that decided, or how the preset did
     * @param explicit whether an exact (non-wildcard) allow rule of the user's names this host (not
     *                 a preset's): only then may it lead to a loopback or private address
     */
    public record Outcome(boolean allowed, String rule, boolean explicit) {
    }

    public Outcome decide(String host, int port) {
        String name = normalise(host);
        Optional<NetworkRule> deny = best(name, port, NetworkRule.Action.DENY);
        if (deny.isPresent()) return new Outcome(false, deny.get().describe(), true);
        Optional<NetworkRule> allow = best(name, port, NetworkRule.Action.ALLOW);
        if (allow.isPresent()) {
            // only a rule the user wrote opens a private address, not a preset's or an agent profile's list
            boolean explicit = !allow.get().pattern().wildcard() && isUsers(allow.get().source());
            return new Outcome(true, allow.get().describe(), explicit);
        }
        if (preset.allowsUnmatched()) return new Outcome(true, "preset open", false);
        return new Outcome(false, "no rule allows it, preset " + preset.word(), false);
    }

    /** The sources of rules the user wrote: {@code run}, {@code policy}, their config file, their own registry. */
    static boolean isUsers(String source) {
        return source.equals(NetworkSettings.FROM_RUN) || source.equals(NetworkSettings.FROM_POLICY)
                || source.startsWith("config ") || source.startsWith("user ");
    }

    /** Whether a deny rule names this address literally, so a name leading to it is refused too. */
    public Optional<String> deniedAddress(String address, int port) {
        return best(normalise(address), port, NetworkRule.Action.DENY).map(NetworkRule::describe);
    }

    private Optional<NetworkRule> best(String name, int port, NetworkRule.Action action) {
        NetworkRule best = null;
        for (NetworkRule rule : rules) {
            if (rule.action() != action || !rule.pattern().matches(name, port)) continue;
            if (best == null || rule.pattern().specificity() > best.pattern().specificity()
                    || rule.pattern().specificity() == best.pattern().specificity() && isUsers(rule.source()) && !isUsers(best.source())) {
                best = rule; // on a tie the user's own rule decides, so it is reported and may be explicit
            }
        }
        return Optional.ofNullable(best);
    }

    static String normalise(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    public NetworkPreset preset() {
        return preset;
    }

    public List<NetworkRule> rules() {
        return rules;
    }
}
