package dev.corral.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A sandbox's stored network settings: the preset, the rules given to {@code corral run} or
 * {@code corral policy} (each with its source), and the ports published to the host. The preset's own rules are not stored: they come
 * from the Corral version that runs the sandbox.
 */
public record NetworkSettings(NetworkPreset preset, List<NetworkRule> rules, List<PublishedPort> published) {
    public static final NetworkSettings DEFAULT = new NetworkSettings(NetworkPreset.DEFAULT, List.of(), List.of());
    public static final String FROM_RUN = "run";
    public static final String FROM_POLICY = "policy";

    public NetworkSettings {
        Objects.requireNonNull(preset, "preset");
        rules = List.copyOf(rules);
        published = List.copyOf(published);
    }

    public NetworkSettings withPublished(List<PublishedPort> value) {
        return new NetworkSettings(preset, rules, value);
    }

    public NetworkSettings withPreset(NetworkPreset value) {
        return new NetworkSettings(value, rules, published);
    }

    /** The rules with every earlier one from {@code source} replaced by {@code replacement}. */
    public NetworkSettings replacingSource(String source, List<NetworkRule> replacement) {
        List<NetworkRule> all = new ArrayList<>();
        for (NetworkRule rule : rules) if (!rule.source().equals(source)) all.add(rule);
        all.addAll(replacement);
        return new NetworkSettings(preset, all, published);
    }

    /**
     * The rules with {@code rule} added; a stored rule for the same pattern (of either action) is
     * replaced, so {@code policy allow x} after {@code policy deny x} leaves one rule, the newer.
     */
    public NetworkSettings with(NetworkRule rule) {
        List<NetworkRule> all = new ArrayList<>();
        for (NetworkRule r : rules) if (!r.pattern().equals(rule.pattern())) all.add(r);
        all.add(rule);
        return new NetworkSettings(preset, all, published);
    }

    /** The rules without any for {@code pattern}; the same settings when none matched. */
    public NetworkSettings without(HostPattern pattern) {
        List<NetworkRule> all = new ArrayList<>();
        for (NetworkRule r : rules) if (!r.pattern().equals(pattern)) all.add(r);
        return new NetworkSettings(preset, all, published);
    }

    /** Every rule in force: the preset's, then the stored ones. */
    public List<NetworkRule> effectiveRules() {
        List<NetworkRule> all = new ArrayList<>(preset.rules());
        all.addAll(rules);
        return all;
    }
}
