package dev.corral.backend.linux;

import dev.corral.host.Identity;
import dev.corral.sandbox.NetworkAccess;
import dev.corral.sandbox.SandboxSpec;
import dev.corral.sandbox.Volume;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything {@link BwrapPlanner} needs, gathered from the host beforehand so planning is a pure
 * function.
 *
 * @param home        the sandbox's private home folder on the host
 * @param environment the complete environment of the sandboxed command
 * @param command     the command, already resolved (a login shell when the user gave none)
 * @param ownTerminal whether the command gets its own pseudo-terminal as controlling terminal
 * @param tmpBytes    size of the private /tmp
 * @param devices     private copies of the standard devices to bind over bubblewrap's (root only)
 * @param network     the proxy's folder to mount and forward to; empty for a sandbox with no network at all
 * @param agentMounts the agent's install and login folders, bound after the user's volumes
 */
public record PlanInput(SandboxSpec spec, Identity identity, Path home, HostLayout layout,
                        List<Protection> protections, Map<String, String> environment, List<String> command,
                        boolean ownTerminal, long tmpBytes, byte[] seccomp, Optional<Path> devices,
                        Optional<NetworkAccess> network, List<Volume> agentMounts) {
    public PlanInput {
        protections = List.copyOf(protections);
        environment = Map.copyOf(environment);
        command = List.copyOf(command);
        agentMounts = List.copyOf(agentMounts);
    }

    public PlanInput(SandboxSpec spec, Identity identity, Path home, HostLayout layout, List<Protection> protections,
                     Map<String, String> environment, List<String> command, boolean ownTerminal, long tmpBytes, byte[] seccomp,
                     Optional<Path> devices, Optional<NetworkAccess> network) {
        this(spec, identity, home, layout, protections, environment, command, ownTerminal, tmpBytes, seccomp, devices, network, List.of());
    }
}
