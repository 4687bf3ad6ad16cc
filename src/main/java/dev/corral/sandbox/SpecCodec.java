package dev.corral.sandbox;

import dev.corral.policy.AgentSettings;
import dev.corral.policy.HostPattern;
import dev.corral.policy.NetworkPreset;
import dev.corral.policy.NetworkRule;
import dev.corral.policy.NetworkSettings;
import dev.corral.policy.PublishedPort;

import dev.corral.git.SandboxWorktree;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;

/** Turns sandbox records into plain maps for JSON and back; format version 1. */
public final class SpecCodec {
    static final int VERSION = 1;

    private SpecCodec() {
    }

    public static Map<String, Object> toMap(SandboxRecord record) {
        SandboxSpec spec = record.spec();
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("version", VERSION);
        map.put("name", spec.name().value());
        map.put("agent", spec.agent());
        map.put("workspace", spec.workspace().toString());
        map.put("backend", spec.backend());
        map.put("created", record.created().toString());
        record.lastStarted().ifPresent(t -> map.put("lastStarted", t.toString()));
        map.put("limits", limitsToMap(spec.limits()));
        map.put("env", new TreeMap<>(spec.env()));
        map.put("volumes", spec.volumes().stream().map(Volume::spec).toList());
        map.put("network", networkToMap(spec.network()));
        if (!spec.agentSettings().equals(AgentSettings.DEFAULT)) {
            Map<String, Object> agent = new LinkedHashMap<>();
            spec.agentSettings().version().ifPresent(v -> agent.put("version", v));
            agent.put("from", spec.agentSettings().fromHost() ? "host" : "cache");
            agent.put("credentials", spec.agentSettings().hostCredentials() ? "host" : "none");
            map.put("agentSettings", agent);
        }
        spec.worktree().ifPresent(w -> map.put("worktree", worktreeToMap(w)));
        if (!spec.container().isEmpty()) {
            Map<String, Object> container = new LinkedHashMap<>();
            spec.container().image().ifPresent(v -> container.put("image", v));
            spec.container().runtime().ifPresent(v -> container.put("runtime", v));
            map.put("container", container);
        }
        return map;
    }

    /** A branch sandbox's repository, branch and checkout. */
    public static Map<String, Object> worktreeToMap(SandboxWorktree worktree) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("repository", worktree.repository().toString());
        map.put("commonDir", worktree.commonDir().toString());
        map.put("path", worktree.path().toString());
        map.put("branch", worktree.branch());
        map.put("baseCommit", worktree.baseCommit());
        worktree.baseBranch().ifPresent(b -> map.put("baseBranch", b));
        return map;
    }

    @SuppressWarnings("unchecked")
    static Optional<SandboxWorktree> worktreeFromMap(Object value) {
        if (value == null) return Optional.empty();
        Map<String, Object> map = (Map<String, Object>) value;
        return Optional.of(new SandboxWorktree(Path.of((String) map.get("repository")), Path.of((String) map.get("commonDir")),
                Path.of((String) map.get("path")), (String) map.get("branch"), (String) map.get("baseCommit"),
                Optional.ofNullable((String) map.get("baseBranch"))));
    }

    public static Map<String, Object> networkToMap(NetworkSettings network) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("preset", network.preset().word());
        List<Object> rules = new ArrayList<>();
        for (NetworkRule rule : network.rules()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("action", rule.action().word());
            r.put("host", rule.pattern().toString());
            r.put("source", rule.source());
            rules.add(r);
        }
        map.put("rules", rules);
        map.put("publish", network.published().stream().map(PublishedPort::toString).toList());
        return map;
    }

    @SuppressWarnings("unchecked")
    static NetworkSettings networkFromMap(Object value) {
        if (!(value instanceof Map<?, ?> raw)) return NetworkSettings.DEFAULT;
        Map<String, Object> map = (Map<String, Object>) raw;
        List<NetworkRule> rules = new ArrayList<>();
        for (Object o : (List<Object>) map.getOrDefault("rules", List.of())) {
            Map<String, Object> r = (Map<String, Object>) o;
            rules.add(new NetworkRule(NetworkRule.Action.parse((String) r.get("action")), HostPattern.parse((String) r.get("host")),
                    (String) r.get("source")));
        }
        List<PublishedPort> published = new ArrayList<>();
        for (Object o : (List<Object>) map.getOrDefault("publish", List.of())) published.add(PublishedPort.parse((String) o));
        return new NetworkSettings(NetworkPreset.parse((String) map.getOrDefault("preset", NetworkPreset.DEFAULT.word())), rules, published);
    }

    @SuppressWarnings("unchecked")
    static AgentSettings agentFromMap(Object value) {
        if (!(value instanceof Map<?, ?> raw)) return AgentSettings.DEFAULT;
        Map<String, Object> map = (Map<String, Object>) raw;
        Optional<String> version = Optional.ofNullable((String) map.get("version"));
        if (version.isPresent() && !AgentSettings.isPlainVersion(version.get())) {
            throw new IllegalArgumentException("stored agent version '" + version.get() + "' is not a version");
        }
        return new AgentSettings(version, "host".equals(map.get("from")),
                "host".equals(map.get("credentials")));
    }

    public static Map<String, Object> limitsToMap(Limits limits) {
        Map<String, Object> map = new LinkedHashMap<>();
        limits.memoryBytes().ifPresent(v -> map.put("memoryBytes", v));
        limits.cpus().ifPresent(v -> map.put("cpus", v));
        limits.pids().ifPresent(v -> map.put("pids", v));
        limits.tmpBytes().ifPresent(v -> map.put("tmpBytes", v));
        return map;
    }

    @SuppressWarnings("unchecked")
    public static SandboxRecord fromMap(Map<String, Object> map) {
        Object version = map.get("version");
        if (!(version instanceof Number v) || v.longValue() != VERSION) {
            throw new IllegalArgumentException("unsupported state version " + version);
        }
        Map<String, Object> limitMap = (Map<String, Object>) map.getOrDefault("limits", Map.of());
        Limits limits = new Limits(optionalLong(limitMap.get("memoryBytes")), optionalDouble(limitMap.get("cpus")),
                optionalLong(limitMap.get("pids")), optionalLong(limitMap.get("tmpBytes")));
        Map<String, String> env = new LinkedHashMap<>();
        ((Map<String, Object>) map.getOrDefault("env", Map.of())).forEach((k, val) -> env.put(k, String.valueOf(val)));
        List<Volume> volumes = new ArrayList<>();
        for (Object spec : (List<Object>) map.getOrDefault("volumes", List.of())) {
            volumes.add(Volume.parse(String.valueOf(spec)));
        }
        SandboxSpec spec = new SandboxSpec(new SandboxName((String) map.get("name")), (String) map.get("agent"),
                Path.of((String) map.get("workspace")), env, volumes, limits, (String) map.get("backend"),
                networkFromMap(map.get("network")), agentFromMap(map.get("agentSettings")), worktreeFromMap(map.get("worktree")),
                containerFromMap(map.get("container")));
        Optional<Instant> lastStarted = Optional.ofNullable((String) map.get("lastStarted")).map(Instant::parse);
        return new SandboxRecord(spec, Instant.parse((String) map.get("created")), lastStarted);
    }

    private static ContainerSettings containerFromMap(Object value) {
        if (!(value instanceof Map<?, ?> map)) return ContainerSettings.NONE;
        return new ContainerSettings(Optional.ofNullable((String) map.get("image")), Optional.ofNullable((String) map.get("runtime")));
    }

    private static OptionalLong optionalLong(Object value) {
        return value instanceof Number n ? OptionalLong.of(n.longValue()) : OptionalLong.empty();
    }

    private static OptionalDouble optionalDouble(Object value) {
        return value instanceof Number n ? OptionalDouble.of(n.doubleValue()) : OptionalDouble.empty();
    }
}
