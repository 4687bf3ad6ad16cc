package dev.corral.sandbox;

import java.util.List;
import java.util.Map;

/**
 * What an agent adds to one launch of its sandbox, beyond the stored spec: its install (read-only),
 * its login folders from the agent's volume, shared credentials or an SSH agent's socket, and
 * the environment that goes with them.
 *
 * @param mounts      bound after the workspace and the user's volumes, in this order
 * @param environment set inside, before what {@code -e} names (which still wins)
 */
public record AgentSetup(List<Volume> mounts, Map<String, String> environment) {
    public static final AgentSetup NONE = new AgentSetup(List.of(), Map.of());

    public AgentSetup {
        mounts = List.copyOf(mounts);
        environment = Map.copyOf(environment);
    }

    /** The same, with more mounts after these (a branch sandbox's repository objects, say). */
    public AgentSetup withMounts(List<Volume> more) {
        if (more.isEmpty()) return this;
        List<Volume> all = new java.util.ArrayList<>(mounts);
        all.addAll(more);
        return new AgentSetup(all, environment);
    }
}
