package dev.corral.policy;

import java.util.Optional;

/**
 * How a sandbox's agent is provided, stored with the sandbox like its other settings.
 *
 * @param version         the pinned version ({@code --agent-version}); empty: the newest installed
 * @param fromHost        run the user's own installation from their PATH ({@code --agent-from host})
 * @param hostCredentials share the agent's login files from the user's home, read-only ({@code --credentials host})
 */
public record AgentSettings(Optional<String> version, boolean fromHost, boolean hostCredentials) {
    public static final AgentSettings DEFAULT = new AgentSettings(Optional.empty(), false, false);

    public AgentSettings {
        java.util.Objects.requireNonNull(version, "version");
    }

    private static final java.util.regex.Pattern PLAIN_VERSION = java.util.regex.Pattern.compile("[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}");

    /** A version string safe to use in a path and a package manager's argument. */
    public static boolean isPlainVersion(String version) {
        return PLAIN_VERSION.matcher(version).matches() && !version.contains("..");
    }

    /** The stored settings with what the user typed applied; {@code changes} lists what differs. */
    public static AgentSettings merge(AgentSettings old, String agent, RunOptions.AgentOptions given, java.util.List<String> changes) {
        boolean any = given.version().isPresent() || given.from().isPresent() || given.credentials().isPresent() || given.sshAgent();
        if (agent.equals("shell") && any) {
            throw new PolicyException("--agent-version, --agent-from, --credentials and --ssh-agent apply to agents, not to a shell",
                    "name the agent: corral run claude --agent-from host");
        }
        Optional<String> version = old.version;
        if (given.version().isPresent()) {
            String v = given.version().get();
            if (!isPlainVersion(v) && !v.equals("newest")) {
                throw new PolicyException("'" + v + "' is not a version", "give one such as --agent-version 2.1.0, or --agent-version newest");
            }
            version = v.equals("newest") ? Optional.empty() : Optional.of(v);
        }
        // no lambdas here: this runs at every start, where each costs a bootstrap
        boolean fromHost = given.from().isPresent() ? choice("--agent-from", given.from().get(), "cache", "host") : old.fromHost;
        boolean credentials = given.credentials().isPresent() ? choice("--credentials", given.credentials().get(), "none", "host")
                : old.hostCredentials;
        if (fromHost && version.isPresent()) {
            throw new PolicyException("--agent-version does not apply to an agent from the host", "drop one of --agent-version and --agent-from host");
        }
        AgentSettings merged = new AgentSettings(version, fromHost, credentials);
        if (!merged.equals(old)) changes.add("agent " + old.describe() + " -> " + merged.describe());
        return merged;
    }

    private static boolean choice(String option, String value, String no, String yes) {
        if (value.equals(yes)) return true;
        if (value.equals(no)) return false;
        throw new PolicyException("unknown value '" + value + "' for " + option, "use " + option + " " + no + " or " + option + " " + yes);
    }

    public String describe() {
        return (fromHost ? "from host" : "version " + version.orElse("newest")) + (hostCredentials ? ", host credentials" : "");
    }
}
