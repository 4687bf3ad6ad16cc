package dev.corral.app;

import dev.corral.policy.LimitsText;
import dev.corral.sandbox.RuntimeState;
import dev.corral.sandbox.SandboxRecord;
import dev.corral.sandbox.SandboxSpec;
import dev.corral.sandbox.SpecCodec;
import dev.corral.sandbox.Status;
import dev.corral.sandbox.Volume;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** A sandbox as {@code ls} and {@code inspect} show it. */
public record SandboxView(SandboxRecord record, Status status, Optional<RuntimeState.Supervisor> supervisor) {

    public SandboxSpec spec() {
        return record.spec();
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
        map.put("backend", spec.backend());
        map.put("created", record.created().toString());
        map.put("lastStarted", record.lastStarted().map(Object::toString).orElse(null));
        Map<String, Object> limits = SpecCodec.limitsToMap(spec.limits());
        map.put("limits", limits);
        map.put("env", new TreeSet<>(spec.env().keySet()));
        map.put("volumes", spec.volumes().stream().map(Volume::spec).toList());
        map.put("network", SpecCodec.networkToMap(spec.network()));
        supervisor.ifPresent(s -> {
            map.put("pid", s.supervisorPid());
            map.put("started", s.started().toString());
        });
        return map;
    }

    public String limitsSummary() {
        return "memory=" + LimitsText.memory(spec().limits()) + " cpus=" + LimitsText.cpus(spec().limits())
                + " pids=" + LimitsText.pids(spec().limits());
    }
}
