package dev.corral.policy;

import dev.corral.host.Identity;
import dev.corral.sandbox.SandboxName;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The environment inside a sandbox: nothing of the caller's except the terminal and locale
 * variables ({@code TERM}, {@code LANG}, {@code LC_*}, {@code TZ}, {@code COLORTERM}), the basics
 * every program expects, and what the user named with {@code -e}.
 */
public final class EnvironmentPolicy {
    static final List<String> INHERITED = List.of("TERM", "LANG", "TZ", "COLORTERM");
    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private EnvironmentPolicy() {
    }

    public static Map<String, String> sandboxEnvironment(Map<String, String> host, Map<String, String> requested,
                                                         Identity identity, SandboxName name) {
        return sandboxEnvironment(host, Map.of(), requested, identity, name);
    }

    /** @param network the proxy variables and placeholders; what {@code -e} names still wins */
    public static Map<String, String> sandboxEnvironment(Map<String, String> host, Map<String, String> network,
                                                         Map<String, String> requested, Identity identity, SandboxName name) {
        Map<String, String> env = new LinkedHashMap<>();
        host.forEach((key, value) -> {
            if (INHERITED.contains(key) || key.startsWith("LC_")) env.put(key, value);
        });
        env.put("HOME", identity.home().toString());
        env.put("USER", identity.user());
        env.put("LOGNAME", identity.user());
        env.put("SHELL", "/bin/bash");
        env.put("PATH", path(identity));
        env.put("CORRAL_SANDBOX", name.value());
        env.putAll(network);
        env.putAll(requested);
        return env;
    }

    /** The sandbox's search path: the home's own programs, then the system's. */
    public static String path(Identity identity) {
        return identity.home() + "/.local/bin:" + PATH;
    }

    /**
     * Parses {@code -e KEY=VALUE} (or {@code -e KEY}, which takes the caller's value) options.
     */
    public static Map<String, String> parseAssignments(List<String> options, Map<String, String> host) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String option : options) {
            int eq = option.indexOf('=');
            String key = eq < 0 ? option : option.substring(0, eq);
            if (!KEY.matcher(key).matches()) {
                throw new PolicyException("invalid environment variable name in -e '" + option + "'",
                        "use -e KEY=VALUE with a name of letters, digits and '_'");
            }
            if (eq >= 0) {
                env.put(key, option.substring(eq + 1));
            } else if (host.containsKey(key)) {
                env.put(key, host.get(key));
            } else {
                throw new PolicyException("-e " + key + " names a variable that is not set here",
                        "give its value: -e " + key + "=VALUE");
            }
        }
        return env;
    }
}
