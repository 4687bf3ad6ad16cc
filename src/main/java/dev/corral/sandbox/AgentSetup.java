package dev.corral.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What an agent adds to one launch of its sandbox, beyond the stored spec: its install (read-only),
 * its login folders from the agent's volume, shared credentials or an SSH agent's socket, and
 * the environment that goes with them.
 *
 * @param mounts          bound after the workspace and the user's volumes, in this order
 * @param environment     set inside, before what {@code -e} names (which still wins)
 * @param temporaryPaths  mount points created on the host for this launch only, removed afterwards
 *                        while they are still empty
 */
public record AgentSetup(List<Volume> mounts, Map<String, String> environment, List<Path> temporaryPaths) {
    public static final AgentSetup NONE = new AgentSetup(List.of(), Map.of(), List.of());

    public AgentSetup {
        mounts = List.copyOf(mounts);
        environment = Map.copyOf(environment);
        temporaryPaths = List.copyOf(temporaryPaths);
    }
}
