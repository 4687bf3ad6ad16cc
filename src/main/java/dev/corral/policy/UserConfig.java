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

/**
 * The user's own settings, {@code ~/.config/corral/config.toml}, read strictly: an unknown table or
 * key, or a value of the wrong kind, stops Corral with the file, line and key in the message.
 *
 * <pre>
 * [network]
 * allow = ["internal.example.com"]      # in every sandbox of this user
 * deny = ["telemetry.example.com"]
 * ca-files = ["/etc/corp/root-ca.pem"]  # trusted upstream, besides the system's (corporate proxies)
 * </pre>
 */
public record UserConfig(List<NetworkRule> rules, List<Path> caFiles) {
    public static final UserConfig EMPTY = new UserConfig(List.of(), List.of());
    private static final Map<String, Set<String>> KEYS = Map.of("network", Set.of("allow", "deny", "ca-files"));

    public UserConfig {
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
        String table = "";
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String where = file + ":" + (i + 1);
            String line = stripComment(lines[i]).strip();
            if (line.isEmpty()) continue;
            if (line.startsWith("[")) {
                if (!line.endsWith("]")) throw error(where, "a table header needs its closing ']'");
                table = line.substring(1, line.length() - 1).strip();
                if (!KEYS.containsKey(table)) throw error(where, "unknown table [" + table + "] (known: [network])");
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) throw error(where, "expected key = value");
            String key = line.substring(0, eq).strip();
            if (table.isEmpty() || !KEYS.get(table).contains(key)) {
                throw error(where, "unknown key '" + key + "'" + (table.isEmpty() ? " outside a table" : " in [" + table + "]"));
            }
            List<String> values = stringArray(where, key, line.substring(eq + 1).strip());
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
        return new UserConfig(rules, caFiles);
    }

    private static HostPattern pattern(String where, String text) {
        try {
            return HostPattern.parse(text);
        } catch (PolicyException e) {
            throw error(where, e.getMessage());
        }
    }

    /** {@code ["a", "b"]}: double-quoted strings with backslash escapes, on one line. */
    private static List<String> stringArray(String where, String key, String value) {
        if (!value.startsWith("[") || !value.endsWith("]")) throw error(where, key + " must be a list of strings, e.g. [\"a\", \"b\"]");
        List<String> out = new ArrayList<>();
        String body = value.substring(1, value.length() - 1).strip();
        int i = 0;
        while (i < body.length()) {
            if (body.charAt(i) != '"') throw error(where, key + " must be a list of double-quoted strings");
            StringBuilder sb = new StringBuilder();
            i++;
            while (true) {
                if (i >= body.length()) throw error(where, "unterminated string");
                char c = body.charAt(i++);
                if (c == '"') break;
                if (c == '\\') {
                    if (i >= body.length()) throw error(where, "unterminated string");
                    char e = body.charAt(i++);
                    sb.append(switch (e) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case '"', '\\' -> e;
                        default -> throw error(where, "unknown escape \\" + e);
                    });
                } else {
                    sb.append(c);
                }
            }
            out.add(sb.toString());
            while (i < body.length() && body.charAt(i) == ' ') i++;
            if (i < body.length()) {
                if (body.charAt(i) != ',') throw error(where, "expected ',' between strings");
                i++;
                while (i < body.length() && body.charAt(i) == ' ') i++;
            }
        }
        return out;
    }

    private static String stripComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '\\') {
                i++; // the escaped character, a quote or a backslash included
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '#' && !quoted) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static PolicyException error(String where, String message) {
        return new PolicyException(where + ": " + message, "fix the file, or see the README's configuration section");
    }
}
