package dev.corral.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The starting point of a sandbox's network rules: {@code deny-all} (nothing but what rules
 * allow), {@code balanced} (agents' API hosts, package registries and code hosts, listed in the
 * resource {@code balanced-hosts.txt}), or {@code open} (every public address; private ones still
 * need a rule).
 */
public enum NetworkPreset {
    DENY_ALL, BALANCED, OPEN;

    public static final NetworkPreset DEFAULT = BALANCED;

    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static NetworkPreset parse(String text) {
        for (NetworkPreset preset : values()) {
            if (preset.word().equals(text)) return preset;
        }
        throw new PolicyException("unknown network preset '" + text + "'", "use --network deny-all, balanced or open");
    }

    /** The allow rules the preset brings. */
    public List<NetworkRule> rules() {
        if (this != BALANCED) return List.of();
        List<NetworkRule> rules = new ArrayList<>();
        String source = "preset " + word();
        for (String host : BalancedHosts.LIST) rules.add(new NetworkRule(NetworkRule.Action.ALLOW, HostPattern.parse(host), source));
        return rules;
    }

    /** Whether a host no rule matches may be reached. */
    public boolean allowsUnmatched() {
        return this == OPEN;
    }

    private static final class BalancedHosts {
        static final List<String> LIST = load();

        private static List<String> load() {
            try (InputStream in = NetworkPreset.class.getResourceAsStream("balanced-hosts.txt")) {
                if (in == null) throw new IllegalStateException("balanced-hosts.txt is missing from Corral's jar");
                List<String> hosts = new ArrayList<>();
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    String host = line.strip();
                    if (!host.isEmpty() && !host.startsWith("#")) hosts.add(host);
                }
                return List.copyOf(hosts);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
