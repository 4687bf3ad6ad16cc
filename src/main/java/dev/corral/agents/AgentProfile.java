package dev.corral.agents;

import dev.corral.policy.HostPattern;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One agent as a profile file describes it: where it comes from, how it starts in full autonomy,
 * what it needs from the network and the user's secrets, and which of its folders persist.
 *
 * @param source       where the profile was read from ({@code built-in} or the user's file)
 * @param environment  variables set inside; a value starting {@code ~/} is under the sandbox's home
 * @param hosts        allowed on top of the {@code balanced} preset
 * @param secrets      the secrets (by service or custom name) whose placeholders the agent gets, each
 *                     with the variables that carry it besides the service's own
 * @param login        folders under the home ({@code ~/.claude}) kept in the agent's volume
 * @param credentials  files under the user's real home shared read-only with {@code --credentials host}
 */
public record AgentProfile(String name, String description, Install install, String command, List<String> autonomy,
                           Map<String, String> environment, List<HostPattern> hosts, Map<String, List<String>> secrets,
                           List<String> login, List<String> credentials, String source) {
    public static final String BUILT_IN = "built-in";

    public AgentProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(install, "install");
        Objects.requireNonNull(command, "command");
        autonomy = List.copyOf(autonomy);
        environment = Map.copyOf(environment);
        hosts = List.copyOf(hosts);
        Map<String, List<String>> copy = new java.util.LinkedHashMap<>();
        secrets.forEach((secret, variables) -> copy.put(secret, List.copyOf(variables)));
        secrets = java.util.Collections.unmodifiableMap(copy);
        login = List.copyOf(login);
        credentials = List.copyOf(credentials);
    }

    /** Where the agent's program comes from. */
    public enum Registry {
        NPM("npm registry"), PYPI("Python Package Index"), HOST("user's own installation");

        private final String description;

        Registry(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** @param pkg the package to install; empty for {@link Registry#HOST} */
    public record Install(Registry registry, String pkg) {
        public Install {
            Objects.requireNonNull(registry, "registry");
            Objects.requireNonNull(pkg, "pkg");
        }

        public String describe() {
            return registry == Registry.HOST ? "host PATH" : registry.word() + " " + pkg;
        }
    }

    /** A path under the home, as written in a profile ({@code ~/.claude}), resolved against a home folder. */
    public static Path underHome(Path home, String tildePath) {
        return home.resolve(tildePath.substring(2));
    }
}
