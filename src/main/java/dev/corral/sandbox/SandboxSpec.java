package dev.corral.sandbox;

import dev.corral.git.SandboxWorktree;
import dev.corral.policy.AgentSettings;
import dev.corral.policy.NetworkSettings;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a backend needs to build one sandbox: the stored settings, identical on every run
 * until the user changes them. The command to run is not part of it (see {@link Command}).
 *
 * @param env     extra environment variables given with {@code -e}, on top of the few inherited ones
 * @param network the network preset, the stored allow and deny rules, and the published ports
 * @param agentSettings how the agent is provided: its version, from where, whose credentials
 * @param worktree  for {@code --branch}: the repository and branch whose own checkout is the workspace
 * @param container for the Docker backend: the image and OCI runtime, when not the defaults
 */
public record SandboxSpec(SandboxName name, String agent, Path workspace, Map<String, String> env,
                          List<Volume> volumes, Limits limits, String backend, NetworkSettings network,
                          AgentSettings agentSettings, Optional<SandboxWorktree> worktree, ContainerSettings container) {
    public SandboxSpec(SandboxName name, String agent, Path workspace, Map<String, String> env,
                       List<Volume> volumes, Limits limits, String backend, NetworkSettings network,
                       AgentSettings agentSettings, Optional<SandboxWorktree> worktree) {
        this(name, agent, workspace, env, volumes, limits, backend, network, agentSettings, worktree, ContainerSettings.NONE);
    }

    public SandboxSpec(SandboxName name, String agent, Path workspace, Map<String, String> env,
                       List<Volume> volumes, Limits limits, String backend, NetworkSettings network, AgentSettings agentSettings) {
        this(name, agent, workspace, env, volumes, limits, backend, network, agentSettings, Optional.empty());
    }

    public SandboxSpec(SandboxName name, String agent, Path workspace, Map<String, String> env,
                       List<Volume> volumes, Limits limits, String backend) {
        this(name, agent, workspace, env, volumes, limits, backend, NetworkSettings.DEFAULT);
    }

    public SandboxSpec(SandboxName name, String agent, Path workspace, Map<String, String> env,
                       List<Volume> volumes, Limits limits, String backend, NetworkSettings network) {
        this(name, agent, workspace, env, volumes, limits, backend, network, AgentSettings.DEFAULT);
    }

    public SandboxSpec {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(agentSettings, "agentSettings");
        Objects.requireNonNull(worktree, "worktree");
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(backend, "backend");
        if (!workspace.isAbsolute()) throw new IllegalArgumentException("workspace must be absolute");
        env = Map.copyOf(env);
        volumes = List.copyOf(volumes);
    }

    public SandboxSpec withWorkspace(Path path) {
        return new SandboxSpec(name, agent, path, env, volumes, limits, backend, network, agentSettings, worktree, container);
    }

    public SandboxSpec withEnv(Map<String, String> value) {
        return new SandboxSpec(name, agent, workspace, value, volumes, limits, backend, network, agentSettings, worktree, container);
    }

    public SandboxSpec withVolumes(List<Volume> value) {
        return new SandboxSpec(name, agent, workspace, env, value, limits, backend, network, agentSettings, worktree, container);
    }

    public SandboxSpec withLimits(Limits value) {
        return new SandboxSpec(name, agent, workspace, env, volumes, value, backend, network, agentSettings, worktree, container);
    }

    public SandboxSpec withAgentSettings(AgentSettings value) {
        return new SandboxSpec(name, agent, workspace, env, volumes, limits, backend, network, value, worktree, container);
    }

    public SandboxSpec withWorktree(SandboxWorktree value) {
        return new SandboxSpec(name, agent, workspace, env, volumes, limits, backend, network, agentSettings, Optional.of(value), container);
    }

    public SandboxSpec withBackend(String value, ContainerSettings settings) {
        return new SandboxSpec(name, agent, workspace, env, volumes, limits, value, network, agentSettings, worktree, settings);
    }

    public SandboxSpec withNetwork(NetworkSettings value) {
        return new SandboxSpec(name, agent, workspace, env, volumes, limits, backend, value, agentSettings, worktree, container);
    }
}
