package dev.corral.app;

import dev.corral.sandbox.SandboxException;
import dev.corral.support.Files2;
import dev.corral.support.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment a running sandbox was started with (proxy, placeholders, agent, git identity), kept in its runtime folder so
 * {@code corral exec} gives the same to what it starts.
 */
final class LaunchEnvironmentFile {
    private static final String NAME = "launch-env.json";

    private LaunchEnvironmentFile() {
    }

    static void write(Path runtimeDir, Map<String, String> environment) {
        try {
            Files2.createPrivateDirectories(runtimeDir);
            Files2.writeAtomically(runtimeDir.resolve(NAME), Json.write(new java.util.TreeMap<>(environment)));
        } catch (IOException e) {
            throw new SandboxException("cannot write " + runtimeDir.resolve(NAME) + ": " + e.getMessage(), "check that it is writable", e);
        }
    }

    static Map<String, String> read(Path runtimeDir) {
        try {
            Map<String, String> env = new LinkedHashMap<>();
            Json.parseObject(Files.readString(runtimeDir.resolve(NAME))).forEach((k, v) -> env.put(k, String.valueOf(v)));
            return env;
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException | RuntimeException e) {
            throw new SandboxException("cannot read " + runtimeDir.resolve(NAME) + ": " + e.getMessage(),
                    "restart the sandbox", e);
        }
    }
}
