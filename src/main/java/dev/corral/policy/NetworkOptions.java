package dev.corral.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The network options of {@code corral run} ({@code --network}, {@code --allow}, {@code --deny},
 * {@code -p}) turned into stored settings. Rules given to {@code run} replace the ones an earlier
 * {@code run} gave; rules from {@code corral policy} stay until removed there.
 */
final class NetworkOptions {
    private NetworkOptions() {
    }

    static List<NetworkRule> rules(RunOptions options) {
        List<NetworkRule> rules = new ArrayList<>();
        for (String host : options.allow()) rules.add(rule(NetworkRule.Action.ALLOW, host));
        for (String host : options.deny()) rules.add(rule(NetworkRule.Action.DENY, host));
        return rules;
    }

    private static NetworkRule rule(NetworkRule.Action action, String host) {
        return new NetworkRule(action, HostPattern.parse(host), NetworkSettings.FROM_RUN);
    }

    static List<PublishedPort> published(RunOptions options) {
        List<PublishedPort> ports = new ArrayList<>();
        Set<Integer> hostPorts = new HashSet<>();
        for (String text : options.publish()) {
            PublishedPort port = PublishedPort.parse(text);
            if (!hostPorts.add(port.hostPort())) {
                throw new PolicyException("host port " + port.hostPort() + " is published twice", "give each -p its own host port");
            }
            ports.add(port);
        }
        return ports;
    }

    /** The stored settings updated with what was given; each change described in {@code changes}. */
    static NetworkSettings merge(NetworkSettings old, RunOptions options, List<NetworkRule> runRules,
                                 List<PublishedPort> published, List<String> changes) {
        NetworkSettings network = old;
        if (options.network().isPresent()) {
            NetworkPreset preset = NetworkPreset.parse(options.network().get());
            if (preset != old.preset()) {
                changes.add("network " + old.preset().word() + " -> " + preset.word());
                network = network.withPreset(preset);
            }
        }
        if (!options.allow().isEmpty() || !options.deny().isEmpty()) {
            NetworkSettings replaced = network.replacingSource(NetworkSettings.FROM_RUN, runRules);
            if (!replaced.rules().equals(network.rules())) {
                changes.add("network rules " + describe(network.rules()) + " -> " + describe(replaced.rules()));
                network = replaced;
            }
        }
        if (!options.publish().isEmpty() && !published.equals(old.published())) {
            changes.add("published ports " + old.published() + " -> " + published);
            network = network.withPublished(published);
        }
        return network;
    }

    private static String describe(List<NetworkRule> rules) {
        List<String> words = new ArrayList<>();
        for (NetworkRule r : rules) words.add(r.action().word() + " " + r.pattern());
        return words.toString();
    }
}
