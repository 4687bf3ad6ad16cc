package dev.corral.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.corral.support.StrictToml;

/**
 * The user's own settings, {@code ~/.config/corral/config.toml}, read strictly: an unknown table or
 * key, or a value of the wrong kind, stops Corral with the file, line and key in the message.
 *
 * <pre>
 * [network]
 * allow = ["internal.example.com"]      # in every sandbox of this user
 * deny = ["telemetry.example.com"]
 * ca-files = ["/etc/corp/root-ca.pem"]  # trusted upstream, besides the system's (corporate proxies)
 *
 * backend = "docker"                     # what new sandboxes run on (default: native)
 *
 * [agents]
 * cache-dir = "/big/disk/corral-agents"   # where installed agents are kept (default: ~/.local/share/corral/agents)
 * </pre>
 */
public record UserConfig(List<NetworkRule> rules, List<Path> caFiles, java.util.Optional<Path> agentCache,
                         java.util.Optional<String> backend) {
    public static final UserConfig EMPTY = new UserConfig(List.of(), List.of());
    private static final Map<String, Set<String>> KEYS = Map.of("network", Set.of("allow", "deny", "ca-files"),
            "agents", Set.of("cache-dir"));

    public UserConfig(List<NetworkRule> rules, List<Path> caFiles) {
        this(rules, caFiles, java.util.Optional.empty(), java.util.Optional.empty());
    }

    public UserConfig(List<NetworkRule> rules, List<Path> caFiles, java.util.Optional<Path> agentCache) {
        this(rules, caFiles, agentCache, java.util.Optional.empty());
    }

    /** The backend new sandboxes run on when {@code --backend} isn't given. */
    public String defaultBackend() {
        return backend.orElse(SpecResolver.NATIVE);
    }

    public UserConfig {
        java.util.Objects.requireNonNull(agentCache, "agentCache");
        java.util.Objects.requireNonNull(backend, "backend");
        rules = List.copyOf(rules);
        caFiles = List.copyOf(caFiles);
    }

    public static Path file(Path configDir) {
        return configDir.resolve("config.toml");
    }

    public static UserConfig load(Path configDir) {
        Path file = file(configDir);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return EMPTY;
        } catch (IOException e) {
            throw new PolicyException("cannot read " + file + ": " + e.getMessage(), "check its permissions");
        }
        return parse(file, text);
    }

    static UserConfig parse(Path file, String text) {
        List<NetworkRule> rules = new ArrayList<>();
        List<Path> caFiles = new ArrayList<>();
        Path[] agentCache = {null};
        String backend = null;
        StrictToml.Document document;
        try {
            document = StrictToml.parse(text);
            for (StrictToml.Table table : document.tables()) {
                if (!KEYS.containsKey(table.name())) {
                    throw new StrictToml.SyntaxError(table.line(), "unknown table [" + table.name() + "] (known: [network], [agents])");
                }
            }
            for (StrictToml.Entry entry : document.entries()) {
                String where = file + ":" + entry.line();
                String key = entry.key();
                if (entry.table().isEmpty() && key.equals("backend")) {
                    try {
                        backend = SpecResolver.requireBackend(entry.string());
                    } catch (PolicyException e) {
                        throw error(where, "backend must be \"native\" or \"docker\"");
                    }
                    continue;
                }
                if (entry.table().isEmpty() || !KEYS.get(entry.table()).contains(key)) {
                    throw error(where, "unknown key '" + key + "'" + (entry.table().isEmpty() ? " outside a table" : " in [" + entry.table() + "]"));
                }
                if (key.equals("cache-dir")) {
                    Path dir = Path.of(entry.string());
                    if (!dir.isAbsolute()) throw error(where, "cache-dir must be an absolute path");
                    agentCache[0] = dir;
                    continue;
                }
                List<String> values = entry.strings();
                String source = "config " + file.getFileName();
                switch (key) {
                    case "allow" -> values.forEach(v -> rules.add(new NetworkRule(NetworkRule.Action.ALLOW, pattern(where, v), source)));
                    case "deny" -> values.forEach(v -> rules.add(new NetworkRule(NetworkRule.Action.DENY, pattern(where, v), source)));
                    default -> values.forEach(v -> {
                        Path p = Path.of(v);
                        if (!p.isAbsolute()) throw error(where, "ca-files entries must be absolute paths");
                        caFiles.add(p);
                    });
                }
            }
        } catch (StrictToml.SyntaxError e) {
            throw error(file + ":" + e.line(), e.getMessage());
        }
        return new UserConfig(rules, caFiles, java.util.Optional.ofNullable(agentCache[0]), java.util.Optional.ofNullable(backend));
    }

    private static HostPattern pattern(String where, String text) {
        try {
            return HostPattern.parse(text);
        } catch (PolicyException e) {
            throw error(where, e.getMessage());
        }
    }

    private static PolicyException error(String where, String message) {
        return new PolicyException(where + ": " + message, "fix the file, or see the README's configuration section");
    }
}
