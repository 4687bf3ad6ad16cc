package dev.corral.policy;

import java.util.List;
import java.util.Optional;

/**
 * What the user typed for {@code corral run}, not yet validated. Empty optionals and lists mean
 * "not given": an existing sandbox keeps its stored setting.
 */
public record RunOptions(Optional<String> agent, Optional<String> workspace, Optional<String> name,
                         List<String> env, List<String> volumes, Optional<String> memory, Optional<String> cpus,
                         Optional<String> pids, Optional<String> backend) {
    public RunOptions {
        env = List.copyOf(env);
        volumes = List.copyOf(volumes);
    }
}
