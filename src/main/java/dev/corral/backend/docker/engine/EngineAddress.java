package dev.corral.backend.docker.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the engine listens: {@code DOCKER_HOST} when set (only {@code unix://} sockets: Corral
 * mounts host folders into the container, which needs an engine on this machine or a VM sharing
 * its files, as Docker Desktop's does), else Docker's socket, else Podman's Docker-compatible one.
 */
public record EngineAddress(Path socket, boolean fromEnvironment) {
    static final Path DOCKER_SOCKET = Path.of("/var/run/docker.sock");

    public static EngineAddress fromEnvironment(Map<String, String> env) {
        String host = env.get("DOCKER_HOST");
        if (host != null && !host.isBlank()) {
            if (!host.startsWith("unix://") || host.length() <= "unix://".length()) {
                throw new EngineException("DOCKER_HOST=" + host + " is not a Unix socket: Corral talks to a local engine only",
                        "point DOCKER_HOST at the engine's socket (unix:///var/run/docker.sock, or Podman's "
                                + "unix://$XDG_RUNTIME_DIR/podman/podman.sock), or unset it");
            }
            return new EngineAddress(Path.of(host.substring("unix://".length())), true);
        }
        if (Files.exists(DOCKER_SOCKET)) return new EngineAddress(DOCKER_SOCKET, false);
        String runtime = env.get("XDG_RUNTIME_DIR");
        for (Path podman : new Path[]{runtime == null ? null : Path.of(runtime, "podman/podman.sock"), Path.of("/run/podman/podman.sock")}) {
            if (podman != null && Files.exists(podman)) return new EngineAddress(podman, false);
        }
        return new EngineAddress(DOCKER_SOCKET, false);
    }

    @Override
    public String toString() {
        return "unix://" + socket;
    }
}
