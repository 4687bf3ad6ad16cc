package dev.corral.agents;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An agent the user installed themselves ({@code --agent-from host}): found on their PATH, run
 * at its real path, read-only. A program outside the system folders the sandbox already sees
 * (under the home, say) brings its package folder in with it, read-only, at the same path.
 */
public final class HostAgent {
    /** Folders every sandbox sees read-only already. */
    static final List<String> SYSTEM = List.of("/usr", "/bin", "/sbin", "/lib", "/lib64", "/opt", "/etc");

    private HostAgent() {
    }

    /**
     * @param executable its real path, links followed
     * @param mountRoot  the folder to bring in read-only, if the sandbox would not see it otherwise
     */
    public record Found(Path executable, Optional<Path> mountRoot) {
    }

    public static Found find(AgentProfile profile, Map<String, String> hostEnv, Path userHome) {
        String path = hostEnv.getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            if (dir.isEmpty() || !dir.startsWith("/")) continue;
            Path candidate = Path.of(dir, profile.command());
            if (!Files.isRegularFile(candidate) || !Files.isExecutable(candidate)) continue;
            try {
                Path real = candidate.toRealPath();
                if (SYSTEM.stream().anyMatch(s -> real.startsWith(s))) return new Found(real, Optional.empty());
                Path root = packageRoot(real);
                if (root.equals(userHome) || userHome.startsWith(root) || root.getNameCount() < 2) {
                    throw new AgentException("the host's " + profile.command() + " (" + real + ") is not in a folder of its own",
                            "install it into its own folder, or let Corral install it: --agent-from cache");
                }
                return new Found(real, Optional.of(root));
            } catch (IOException e) {
                throw new AgentException("cannot resolve " + candidate + ": " + e.getMessage(), "check the installation");
            }
        }
        throw new AgentException(profile.command() + " is not on your PATH",
                profile.install().registry() == AgentProfile.Registry.HOST
                        ? "install " + profile.description() + " on the host first, then run corral run " + profile.name() + " --agent-from host"
                        : "install it, or let Corral install it: --agent-from cache");
    }

    /**
     * The package the program belongs to: the nearest folder above it with a {@code package.json}
     * (npm) or {@code pyvenv.cfg} (a Python virtual environment), else the program's own folder.
     */
    static Path packageRoot(Path executable) {
        Path dir = executable.getParent();
        for (Path p = dir; p != null && p.getNameCount() > 1; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("package.json")) || Files.isRegularFile(p.resolve("pyvenv.cfg"))) return p;
            if (p.getFileName().toString().equals("node_modules")) break;
        }
        return dir;
    }
}
