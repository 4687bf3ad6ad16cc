package dev.corral.policy;

import java.util.List;
import java.util.Optional;

/**
 * What the user typed for {@code corral run}, not yet validated ({@code branch}: {@code --branch NAME|auto}). Empty optionals and lists mean
 * "not given": an existing sandbox keeps its stored setting.
 */
public record RunOptions(Optional<String> agent, Optional<String> workspace, Optional<String> name,
                         List<String> env, List<String> volumes, Optional<String> memory, Optional<String> cpus,
                         Optional<String> pids, Optional<String> backend, Optional<String> network, List<String> allow,
                         List<String> deny, List<String> publish, AgentOptions agentOptions, Optional<String> branch,
                         dev.corral.sandbox.ContainerSettings container) {
    /**
     * What the user typed about the agent itself.
     *
     * @param version     {@code --agent-version}
     * @param from        {@code --agent-from cache|host}
     * @param credentials {@code --credentials none|host}
     * @param sshAgent    {@code --ssh-agent}: this run only, never stored
     */
    public record AgentOptions(Optional<String> version, Optional<String> from, Optional<String> credentials, boolean sshAgent) {
        public static final AgentOptions NONE = new AgentOptions(Optional.empty(), Optional.empty(), Optional.empty(), false);
    }

    public RunOptions(Optional<String> agent, Optional<String> workspace, Optional<String> name, List<String> env,
                      List<String> volumes, Optional<String> memory, Optional<String> cpus, Optional<String> pids,
                      Optional<String> backend, Optional<String> network, List<String> allow, List<String> deny, List<String> publish) {
        this(agent, workspace, name, env, volumes, memory, cpus, pids, backend, network, allow, deny, publish, AgentOptions.NONE);
    }

    public RunOptions(Optional<String> agent, Optional<String> workspace, Optional<String> name, List<String> env,
                      List<String> volumes, Optional<String> memory, Optional<String> cpus, Optional<String> pids,
                      Optional<String> backend, Optional<String> network, List<String> allow, List<String> deny, List<String> publish,
                      AgentOptions agentOptions) {
        this(agent, workspace, name, env, volumes, memory, cpus, pids, backend, network, allow, deny, publish, agentOptions, Optional.empty());
    }

    public RunOptions(Optional<String> agent, Optional<String> workspace, Optional<String> name, List<String> env,
                      List<String> volumes, Optional<String> memory, Optional<String> cpus, Optional<String> pids,
                      Optional<String> backend, Optional<String> network, List<String> allow, List<String> deny, List<String> publish,
                      AgentOptions agentOptions, Optional<String> branch) {
        this(agent, workspace, name, env, volumes, memory, cpus, pids, backend, network, allow, deny, publish, agentOptions, branch,
                dev.corral.sandbox.ContainerSettings.NONE);
    }

    /** The same options for the sandbox of that name and workspace (a branch's checkout, say). */
    public RunOptions forSandbox(String sandboxName, Optional<String> workspaceDir) {
        return new RunOptions(agent, workspaceDir, Optional.of(sandboxName), env, volumes, memory, cpus, pids, backend, network,
                allow, deny, publish, agentOptions, branch, container);
    }

    public RunOptions {
        java.util.Objects.requireNonNull(agentOptions, "agentOptions");
        java.util.Objects.requireNonNull(branch, "branch");
        java.util.Objects.requireNonNull(container, "container");
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
