package dev.corral.backend.docker;

import dev.corral.backend.linux.Protection;
import dev.corral.host.Identity;
import dev.corral.sandbox.NetworkAccess;
import dev.corral.sandbox.SandboxSpec;
import dev.corral.sandbox.Volume;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything {@link ContainerPlanner} turns into a container: the spec and what the launch
 * worked out around it. Plain data, so the plan is a pure function.
 *
 * @param homeVolume  the named volume that is the sandbox's home, at the user's home path
 * @param command     the sandbox's command, before the forwarder wraps it
 * @param seccomp     the seccomp profile's JSON
 * @param agentMounts the agent's install, login folders and such, after the user's volumes
 * @param runtime     an OCI runtime the engine knows, for a stronger boundary ({@code runsc}, {@code kata-runtime})
 * @param agentInImage whether the image holds the agent's install (under /run, where the sandbox sees it), so /run is the image's
 * @param recursiveReadOnly whether the engine makes a read-only bind read-only all the way down (API 1.44), mounts under it too
 */
record ContainerInput(SandboxSpec spec, Identity identity, String image, String homeVolume, Map<String, String> labels,
                      Map<String, String> environment, List<String> command, boolean tty, long tmpBytes, String seccomp,
                      Optional<NetworkAccess> network, List<Volume> agentMounts, List<Protection> protections,
                      Optional<String> runtime, boolean agentInImage, boolean recursiveReadOnly) {
}
