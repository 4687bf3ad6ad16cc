package dev.corral.app;

import dev.corral.host.cgroup.CgroupUsage;
import dev.corral.policy.LimitsText;
import dev.corral.policy.Sizes;
import dev.corral.sandbox.RuntimeState;
import dev.corral.sandbox.SandboxRecord;
import dev.corral.sandbox.SandboxSpec;
import dev.corral.sandbox.SandboxStore;
import dev.corral.sandbox.SpecCodec;
import dev.corral.sandbox.Status;
import dev.corral.sandbox.Volume;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * A sandbox as {@code ls} and {@code inspect} show it.
 *
 * @param lastExit     how its last run ended by itself (none if it was stopped or killed)
 * @param usage        for a running sandbox: its memory and CPU time now
 * @param changedFiles files the sandbox changed in its workspace's repository (committed or not,
 *                     against its branch point, or against HEAD for a plain workspace); empty where
 *                     there is no repository or it could not be read
 */
public record SandboxView(SandboxRecord record, Status status, Optional<RuntimeState.Supervisor> supervisor,
                          Optional<SandboxStore.Exit> lastExit, Optional<CgroupUsage.Usage> usage, OptionalInt changedFiles) {

    public SandboxSpec spec() {
        return record.spec();
    }

    /** {@code running}, {@code exited (N)} when the command ended by itself, {@code stopped}, {@code created}. */
    public String statusText() {
        if (status == Status.STOPPED && lastExit.isPresent()) return "exited (" + lastExit.get().status() + ")";
        return status.label();
    }

    public Optional<String> branch() {
        return spec().worktree().map(w -> w.branch());
    }

    /** How long the running sandbox has been up, e.g. {@code 3m12s}, {@code 2h05m}. */
    public Optional<Duration> uptime() {
        return supervisor.map(s -> Duration.between(s.started(), Instant.now()));
    }

    /**
     * The JSON form. Environment values are left out (they may hold credentials); their names are
     * listed.
     */
    public Map<String, Object> toJson() {
        SandboxSpec spec = spec();
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", spec.name().value());
        map.put("agent", spec.agent());
        map.put("workspace", spec.workspace().toString());
        map.put("status", status.label());
        lastExit.ifPresent(exit -> {
            Map<String, Object> ended = new LinkedHashMap<>();
            ended.put("status", exit.status());
            ended.put("ended", exit.ended().toString());
            map.put("exit", ended);
        });
        map.put("backend", spec.backend());
        map.put("created", record.created().toString());
        map.put("lastStarted", record.lastStarted().map(Object::toString).orElse(null));
        spec.worktree().ifPresent(w -> map.put("branch", SpecCodec.worktreeToMap(w)));
        if (changedFiles.isPresent()) map.put("changedFiles", changedFiles.getAsInt());
        Map<String, Object> limits = SpecCodec.limitsToMap(spec.limits());
        map.put("limits", limits);
        map.put("env", new TreeSet<>(spec.env().keySet()));
        map.put("volumes", spec.volumes().stream().map(Volume::spec).toList());
        map.put("network", SpecCodec.networkToMap(spec.network()));
        supervisor.ifPresent(s -> {
            map.put("pid", s.supervisorPid());
            map.put("started", s.started().toString());
            map.put("uptimeSeconds", uptime().orElseThrow().toSeconds());
        });
        usage.ifPresent(u -> {
            if (u.memoryBytes().isPresent()) map.put("memoryBytes", u.memoryBytes().getAsLong());
            if (u.cpuNanos().isPresent()) map.put("cpuSeconds", u.cpuNanos().getAsLong() / 1e9);
        });
        return map;
    }

    public String limitsSummary() {
        return "memory=" + LimitsText.memory(spec().limits()) + " cpus=" + LimitsText.cpus(spec().limits())
                + " pids=" + LimitsText.pids(spec().limits());
    }

    /** Memory in use, e.g. {@code 312MiB}, or {@code -}. */
    public String memoryText() {
        return usage.filter(u -> u.memoryBytes().isPresent()).map(u -> Sizes.format(u.memoryBytes().getAsLong())).orElse("-");
    }

    /** CPU time used so far, e.g. {@code 4.2s} or {@code 12m03s}, or {@code -}. */
    public String cpuText() {
        if (usage.isEmpty() || usage.get().cpuNanos().isEmpty()) return "-";
        long millis = usage.get().cpuNanos().getAsLong() / 1_000_000;
        if (millis < 60_000) return String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
        return durationText(Duration.ofMillis(millis));
    }

    public String uptimeText() {
        return uptime().map(SandboxView::durationText).orElse("-");
    }

    public String changedText() {
        return changedFiles.isPresent() ? Integer.toString(changedFiles.getAsInt()) : "-";
    }

    static String durationText(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) return s + "s";
        if (s < 3600) return String.format(java.util.Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        if (s < 86400) return String.format(java.util.Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60);
        return String.format(java.util.Locale.ROOT, "%dd%02dh", s / 86400, s / 3600 % 24);
    }
}
