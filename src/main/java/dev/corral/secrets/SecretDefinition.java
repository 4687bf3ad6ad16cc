package dev.corral.secrets;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * What a secret is, before it has a value: its name, the variables that hold its placeholder in the
 * sandbox, the hosts its real value may be sent to, and the placeholder's format. Built by
 * {@link ServiceCatalog} for the known services and for custom secrets.
 */
public record SecretDefinition(String name, List<String> envVars, List<String> hosts, PlaceholderFormat placeholder) {
    public SecretDefinition {
        name = checkName(name);
        envVars = List.copyOf(new LinkedHashSet<>(Objects.requireNonNull(envVars, "envVars").stream().map(EnvVarNames::check).toList()));
        hosts = List.copyOf(new LinkedHashSet<>(Objects.requireNonNull(hosts, "hosts").stream().map(h -> SecretHost.parse(h).pattern()).toList()));
        Objects.requireNonNull(placeholder, "placeholder");
        if (envVars.isEmpty()) throw new SecretException("secret " + name + " has no environment variable", "add one: --env VAR");
        if (hosts.isEmpty()) throw new SecretException("secret " + name + " has no host to be sent to", "add one: --host HOST");
    }

    /** Lower-case letters, digits and '-', starting with a letter or digit, at most 64 characters. */
    public static String checkName(String name) {
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]{0,63}")) {
            throw new SecretException("invalid secret name '" + name + "'",
                    "use lower-case letters, digits and '-', e.g. my-service");
        }
        return name;
    }
}
