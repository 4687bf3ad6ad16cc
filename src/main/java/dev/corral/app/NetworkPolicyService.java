package dev.corral.app;

import dev.corral.net.Decision;
import dev.corral.net.DecisionLog;
import dev.corral.policy.HostPattern;
import dev.corral.agents.AgentProfiles;
import dev.corral.policy.NetworkRule;
import dev.corral.sandbox.SandboxSpec;
import dev.corral.policy.NetworkSettings;
import dev.corral.policy.PolicyException;
import dev.corral.policy.UserConfig;
import dev.corral.sandbox.CorralPaths;
import dev.corral.sandbox.RuntimeState;
import dev.corral.sandbox.SandboxException;
import dev.corral.sandbox.SandboxName;
import dev.corral.sandbox.SandboxRecord;
import dev.corral.sandbox.SandboxStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code corral policy} and {@code corral net log}: a sandbox's network rules, changed while it
 * runs (its proxy picks up the stored settings at the next connection) and kept for its next run,
 * and the decisions its proxy made.
 */
public final class NetworkPolicyService {
    private final CorralPaths paths;
    private final SandboxStore store;
    private final RuntimeState runtime;
    private final Path cwd;

    public NetworkPolicyService(CorralPaths paths, Path cwd) {
        this.paths = paths;
        this.store = new SandboxStore(paths);
        this.runtime = new RuntimeState(paths);
        this.cwd = cwd;
    }

    /** What changed and whether the sandbox is running (the change is live) or not (it applies next run). */
    public record Change(SandboxName sandbox, List<String> done, boolean running) {
    }

    public record Rules(SandboxName sandbox, String preset, List<NetworkRule> rules) {
    }

    public Change add(Optional<String> sandbox, NetworkRule.Action action, List<String> hosts) {
        return change(sandbox, hosts, (name, network, pattern) -> {
            NetworkSettings next = network.with(new NetworkRule(action, pattern, NetworkSettings.FROM_POLICY));
            return new Step(next, action.word() + " " + pattern);
        });
    }

    public Change remove(Optional<String> sandbox, List<String> hosts) {
        return change(sandbox, hosts, (name, network, pattern) -> {
            NetworkSettings next = network.without(pattern);
            if (next.equals(network)) {
                throw new PolicyException("sandbox " + name + " has no stored rule for " + pattern,
                        "see its rules with: corral policy ls --sandbox " + name + " (preset rules can be overridden with deny)");
            }
            return new Step(next, "removed " + pattern);
        });
    }

    private record Step(NetworkSettings next, String done) {
    }

    private interface RuleChange {
        Step apply(SandboxName name, NetworkSettings network, HostPattern pattern);
    }

    /** Applies the change for each host, all or none (patterns are checked first), and saves the result once. */
    private Change change(Optional<String> sandbox, List<String> hosts, RuleChange change) {
        List<HostPattern> patterns = hosts.stream().map(HostPattern::parse).toList();
        SandboxName name = resolve(sandbox);
        List<String> done = new ArrayList<>();
        update(name, network -> {
            NetworkSettings next = network;
            for (HostPattern p : patterns) {
                Step step = change.apply(name, next, p);
                next = step.next();
                done.add(step.done());
            }
            return next;
        });
        return new Change(name, done, runtime.isRunning(name));
    }

    public Rules list(Optional<String> sandbox) {
        SandboxName name = resolve(sandbox);
        SandboxSpec spec = store.get(name).spec();
        NetworkSettings network = spec.network();
        List<NetworkRule> rules = new ArrayList<>(network.effectiveRules());
        rules.addAll(UserConfig.load(paths.config()).rules());
        rules.addAll(AgentLaunch.rulesFor(spec, new AgentProfiles(AgentProfiles.userDir(paths.config()))));
        return new Rules(name, network.preset().word(), rules);
    }

    public List<Decision> log(SandboxName name, int limit) {
        store.get(name);
        return DecisionLog.read(store.netLog(name), limit);
    }

    private void update(SandboxName name, java.util.function.UnaryOperator<NetworkSettings> change) {
        try (AutoCloseable ignored = runtime.startLock()) {
            SandboxRecord record = store.get(name);
            NetworkSettings next = change.apply(record.spec().network());
            store.save(record.withSpec(record.spec().withNetwork(next)));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SandboxException("cannot change the rules of " + name + ": " + e.getMessage(), null, e);
        }
    }

    /** The named sandbox, or the one whose workspace is the current folder. */
    private SandboxName resolve(Optional<String> sandbox) {
        if (sandbox.isPresent()) {
            SandboxName name = new SandboxName(sandbox.get());
            store.get(name);
            return name;
        }
        List<SandboxName> here = new ArrayList<>();
        Path real = realOrSelf(cwd);
        for (SandboxName name : store.names()) {
            try {
                if (store.get(name).spec().workspace().equals(real)) here.add(name);
            } catch (SandboxException e) {
                // unreadable: not a candidate
            }
        }
        if (here.size() == 1) return here.getFirst();
        if (here.isEmpty()) {
            throw new PolicyException("no sandbox works in " + real, "name one with --sandbox NAME (see corral ls)");
        }
        throw new PolicyException("several sandboxes work in " + real + ": " + here, "name one with --sandbox NAME");
    }

    private static Path realOrSelf(Path p) {
        try {
            return p.toRealPath();
        } catch (java.io.IOException e) {
            return p;
        }
    }
}
