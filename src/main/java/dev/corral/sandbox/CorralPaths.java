package dev.corral.sandbox;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where Corral keeps things, XDG-style: persistent state (sandboxes and their homes), configuration,
 * and runtime files (locks, supervisor records) that vanish at reboot.
 */
public record CorralPaths(Path userHome, Path data, Path config, Path runtime) {

    public static CorralPaths fromEnvironment(Map<String, String> env, Path userHome, long uid) {
        Path data = xdg(env, "XDG_DATA_HOME", userHome.resolve(".local/share")).resolve("corral");
        Path config = xdg(env, "XDG_CONFIG_HOME", userHome.resolve(".config")).resolve("corral");
        String runtimeDir = env.get("XDG_RUNTIME_DIR");
        Path runtime = runtimeDir != null && Path.of(runtimeDir).isAbsolute()
                ? Path.of(runtimeDir).resolve("corral")
                : data.resolve("run");
        return new CorralPaths(userHome, data, config, runtime);
    }

    private static Path xdg(Map<String, String> env, String key, Path fallback) {
        String value = env.get(key);
        return value != null && !value.isBlank() && Path.of(value).isAbsolute() ? Path.of(value) : fallback;
    }

    /**
     * Where branch sandboxes' checkouts live: beside Corral's data, not in it, since a sandbox gets
     * its checkout read-write and must never reach Corral's own state.
     */
    public Path worktrees() {
        return data.resolveSibling("corral-worktrees");
    }

    public Path sandboxes() {
        return data.resolve("sandboxes");
    }

    public Path sandboxDir(SandboxName name) {
        return sandboxes().resolve(name.value());
    }

    public Path runtimeDir(SandboxName name) {
        return runtime.resolve("sandboxes").resolve(name.value());
    }
}
