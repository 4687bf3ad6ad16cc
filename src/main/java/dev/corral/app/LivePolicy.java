package dev.corral.app;

import dev.corral.policy.NetworkRule;
import dev.corral.policy.NetworkRules;
import dev.corral.policy.NetworkSettings;
import dev.corral.sandbox.SandboxName;
import dev.corral.sandbox.SandboxRecord;
import dev.corral.sandbox.SandboxStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A running sandbox's rules as {@code corral policy} last left them: when the sandbox's stored
 * settings change on disk, the next connection is decided by the new rules — no restart.
 */
final class LivePolicy {
    private final SandboxStore store;
    private final SandboxName name;
    private final Path file;
    private final NetworkSettings initial;
    private final Supplier<List<NetworkRule>> extraSource;
    private List<NetworkRule> extra;
    private volatile NetworkRules rules;
    private volatile FileTime seen;

    /**
     * @param extra the rules besides the stored ones (the user's config, the agents'), worked out at
     *              the first connection rather than on the launch's path
     */
    LivePolicy(SandboxStore store, SandboxName name, NetworkSettings initial, Supplier<List<NetworkRule>> extra) {
        this.store = store;
        this.name = name;
        this.file = store.recordFile(name);
        this.initial = initial;
        this.extraSource = extra;
        this.seen = modified().orElse(FileTime.fromMillis(0));
    }

    NetworkRules rules() {
        if (rules == null) start();
        Optional<FileTime> now = modified();
        if (now.isPresent() && !now.get().equals(seen)) reload(now.get());
        return rules;
    }

    private synchronized void start() {
        if (rules != null) return;
        extra = List.copyOf(extraSource.get());
        rules = NetworkRules.of(initial, extra);
    }

    private synchronized void reload(FileTime time) {
        if (time.equals(seen)) return;
        try {
            Optional<SandboxRecord> record = store.find(name);
            record.ifPresent(r -> rules = NetworkRules.of(r.spec().network(), extra));
            seen = time;
        } catch (RuntimeException e) {
            // a half-written or broken file: keep the rules in force until a good one appears
        }
    }

    Optional<String> deniedAddress(String address, int port) {
        return rules().deniedAddress(address, port);
    }

    private Optional<FileTime> modified() {
        try {
            return Optional.of(Files.getLastModifiedTime(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
