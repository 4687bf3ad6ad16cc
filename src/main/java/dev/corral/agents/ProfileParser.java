package dev.corral.agents;

import dev.corral.policy.HostPattern;
import dev.corral.policy.PolicyException;
import dev.corral.support.StrictToml;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an agent profile strictly: the format version first, then only known tables and keys, each
 * value checked, every error with the file, line and key. A profile that loads is safe to use: its
 * hosts are as narrow as any rule, its paths stay under the home, its names are plain.
 */
public final class ProfileParser {
    public static final int FORMAT = 1;
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,30}");
    private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern PACKAGE = Pattern.compile("(@[a-z0-9][a-z0-9._-]*/)?[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern COMMAND = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");
    private static final Pattern HOME_PATH = Pattern.compile("~/[A-Za-z0-9._-][A-Za-z0-9._/-]*");
    /** Variables a profile may not set: they decide what runs and where the proxy is. */
    private static final Set<String> RESERVED = Set.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "CORRAL_SANDBOX",
            "LD_PRELOAD", "LD_LIBRARY_PATH", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy",
            "all_proxy", "no_proxy");
    private static final Map<String, Set<String>> KEYS = Map.of(
            "", Set.of("format", "description"),
            "install", Set.of("from", "package"),
            "run", Set.of("command", "autonomy"),
            "environment", Set.of(),
            "network", Set.of("hosts"),
            "secrets", Set.of(),
            "files", Set.of("login", "host-credentials"));

    private ProfileParser() {
    }

    public static AgentProfile parse(String name, String source, String text) {
        if (!NAME.matcher(name).matches()) {
            throw new AgentException("agent profile " + source + " has an invalid name '" + name + "'",
                    "name the file with lower-case letters, digits and '-', e.g. my-agent.toml");
        }
        try {
            return read(name, source, StrictToml.parse(text.replace("\r\n", "\n")));
        } catch (StrictToml.SyntaxError e) {
            throw broken(source, e.line(), e.getMessage());
        }
    }

    private static AgentProfile read(String name, String source, StrictToml.Document document) {
        for (StrictToml.Table table : document.tables()) {
            if (table.name().isEmpty() || !KEYS.containsKey(table.name())) {
                throw broken(source, table.line(), "unknown table [" + table.name() + "] (known: [install], [run], [environment], [network], [secrets], [files])");
            }
        }
        Map<String, StrictToml.Entry> entries = new LinkedHashMap<>();
        Map<String, String> environment = new LinkedHashMap<>();
        Map<String, List<String>> secrets = new LinkedHashMap<>();
        for (StrictToml.Entry entry : document.entries()) {
            if (entry.table().equals("secrets")) {
                if (!NAME.matcher(entry.key()).matches()) throw broken(source, entry.line(), "secret name '" + entry.key() + "' is not valid");
                List<String> variables = entry.strings();
                for (String variable : variables) {
                    if (!ENV_KEY.matcher(variable).matches() || RESERVED.contains(variable)) {
                        throw broken(source, entry.line(), "environment variable '" + variable + "' can't carry a secret");
                    }
                }
                if (secrets.put(entry.key(), variables) != null) throw broken(source, entry.line(), "'" + entry.key() + "' is given twice");
                continue;
            }
            if (entry.table().equals("environment")) {
                if (!ENV_KEY.matcher(entry.key()).matches() || RESERVED.contains(entry.key())) {
                    throw broken(source, entry.line(), "environment variable '" + entry.key() + "' can't be set by a profile");
                }
                String value = entry.string();
                if (value.indexOf('\0') >= 0) throw broken(source, entry.line(), "the value of " + entry.key() + " holds a NUL character");
                if (environment.put(entry.key(), value) != null) throw broken(source, entry.line(), "'" + entry.key() + "' is given twice");
                continue;
            }
            if (!KEYS.get(entry.table()).contains(entry.key())) {
                throw broken(source, entry.line(), "unknown key '" + entry.key() + "'"
                        + (entry.table().isEmpty() ? " before the first table" : " in [" + entry.table() + "]"));
            }
            String id = entry.table() + "." + entry.key();
            if (entries.put(id, entry) != null) throw broken(source, entry.line(), "'" + entry.key() + "' is given twice");
        }
        StrictToml.Entry format = entries.get(".format");
        if (format == null) throw broken(source, 1, "the first key must be 'format = " + FORMAT + "'");
        if (format.integer() != FORMAT) {
            throw broken(source, format.line(), "profile format " + format.integer() + " is not known to this Corral (it reads format " + FORMAT + ")");
        }
        AgentProfile.Registry registry = registry(source, required(source, entries, "install.from"));
        String pkg = "";
        if (registry != AgentProfile.Registry.HOST) {
            StrictToml.Entry p = required(source, entries, "install.package");
            pkg = p.string();
            if (!PACKAGE.matcher(pkg).matches()) throw broken(source, p.line(), "package '" + pkg + "' is not a plain package name");
        } else if (entries.containsKey("install.package")) {
            throw broken(source, entries.get("install.package").line(), "an agent from the host has no package");
        }
        StrictToml.Entry commandEntry = required(source, entries, "run.command");
        String command = commandEntry.string();
        if (!COMMAND.matcher(command).matches()) {
            throw broken(source, commandEntry.line(), "command '" + command + "' must be a program name, not a path");
        }
        List<String> autonomy = strings(entries, "run.autonomy");
        List<HostPattern> hosts = new ArrayList<>();
        StrictToml.Entry hostEntry = entries.get("network.hosts");
        if (hostEntry != null) {
            for (String host : hostEntry.strings()) {
                try {
                    hosts.add(HostPattern.parse(host));
                } catch (PolicyException e) {
                    throw broken(source, hostEntry.line(), e.getMessage());
                }
            }
        }
        List<String> login = homePaths(source, entries, "files.login");
        for (String outer : login) {
            for (String inner : login) {
                // a folder the agent can write must not hold another's mount point: it could swap it for a link
                if (!outer.equals(inner) && inner.startsWith(outer + "/")) {
                    throw broken(source, entries.get("files.login").line(), "'" + inner + "' is inside '" + outer + "'; list only '" + outer + "'");
                }
            }
        }
        List<String> credentials = homePaths(source, entries, "files.host-credentials");
        String description = entries.containsKey(".description") ? entries.get(".description").string() : name;
        return new AgentProfile(name, description, new AgentProfile.Install(registry, pkg), command, autonomy, environment,
                hosts, secrets, login, credentials, source);
    }

    private static AgentProfile.Registry registry(String source, StrictToml.Entry entry) {
        String from = entry.string();
        for (AgentProfile.Registry registry : AgentProfile.Registry.values()) {
            if (registry.word().equals(from)) return registry;
        }
        throw broken(source, entry.line(), "from = \"" + from + "\" is not known (use \"npm\", \"pypi\" or \"host\")");
    }

    private static List<String> strings(Map<String, StrictToml.Entry> entries, String id) {
        StrictToml.Entry entry = entries.get(id);
        return entry == null ? List.of() : entry.strings();
    }

    /** {@code ~/…} paths without {@code ..} or {@code .} steps, none the home itself, none twice. */
    private static List<String> homePaths(String source, Map<String, StrictToml.Entry> entries, String id) {
        StrictToml.Entry entry = entries.get(id);
        if (entry == null) return List.of();
        List<String> paths = entry.strings();
        Set<String> seen = new HashSet<>();
        for (String path : paths) {
            boolean plain = HOME_PATH.matcher(path).matches() && !path.endsWith("/");
            if (plain) {
                for (String step : path.substring(2).split("/")) plain &= !step.isEmpty() && !step.equals(".") && !step.equals("..");
            }
            if (!plain) throw broken(source, entry.line(), "'" + path + "' must be a path under the home such as ~/.config/agent");
            if (!seen.add(path)) throw broken(source, entry.line(), "'" + path + "' is listed twice");
        }
        return paths;
    }

    private static StrictToml.Entry required(String source, Map<String, StrictToml.Entry> entries, String id) {
        StrictToml.Entry entry = entries.get(id);
        if (entry == null) {
            int dot = id.indexOf('.');
            throw broken(source, 1, "[" + id.substring(0, dot) + "] " + id.substring(dot + 1) + " is missing");
        }
        return entry;
    }

    private static AgentException broken(String source, int line, String message) {
        return new AgentException("agent profile " + source + ":" + line + ": " + message,
                "fix the profile (see the README's agent profiles section), or remove it to use the built-in one");
    }
}
