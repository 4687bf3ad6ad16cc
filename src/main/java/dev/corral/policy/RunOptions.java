package dev.corral.policy;

import java.util.List;
import java.util.Optional;

/**
 * What the user typed for {@code corral run}, not yet validated. Empty optionals and lists mean
 * "not given": an existing sandbox keeps its stored setting.
 */
public record RunOptions(Optional<String> agent, Optional<String> workspace, Optional<String> name,
                         List<String> env, List<String> volumes, Optional<String> memory, Optional<String> cpus,
                         Optional<String> pids, Optional<String> backend, Optional<String> network, List<String> allow,
                         List<String> deny, List<String> publish) {
    public RunOptions {
        env = List.copyOf(env);
        volumes = List.copyOf(volumes);
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        publish = List.copyOf(publish);
    }

    public RunOptions(Optional<String> agent, Optional<String> workspace, Optional<String> name, List<String> env,
                      List<String> volumes, Optional<String> memory, Optional<String> cpus, Optional<String> pids,
                      Optional<String> backend) {
        this(agent, workspace, name, env, volumes, memory, cpus, pids, backend, Optional.empty(), List.of(), List.of(), List.of());
    }
}
