package dev.corral.secrets;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A stored secret without its value: what a sandbox launch needs to put placeholders in the
 * environment, and what {@code corral secret ls} shows.
 *
 * @param placeholder what the sandbox sees instead of the value; not secret
 * @param store       where the value is: {@value #FILE} (the encrypted file) or {@value #SECRET_SERVICE}
 */
public record SecretEntry(String name, List<String> envVars, List<String> hosts, String placeholder, String store, Instant created) {
    public static final String FILE = "file";
    public static final String SECRET_SERVICE = "secret-service";
    private static final Set<String> STORES = Set.of(FILE, SECRET_SERVICE);

    public SecretEntry {
        name = SecretDefinition.checkName(name);
        envVars = List.copyOf(envVars).stream().map(EnvVarNames::check).toList();
        hosts = List.copyOf(hosts).stream().map(h -> SecretHost.parse(h).pattern()).toList();
        if (envVars.isEmpty() || hosts.isEmpty()) throw new IllegalArgumentException("secret " + name + " needs variables and hosts");
        if (placeholder == null || !placeholder.matches("[A-Za-z0-9_-]{16,200}")) throw new IllegalArgumentException("bad placeholder for secret " + name);
        if (!STORES.contains(store)) throw new IllegalArgumentException("unknown store '" + store + "' for secret " + name);
        Objects.requireNonNull(created, "created");
    }

    /** The entry as {@code index.json} and {@code corral secret ls --json} show it. */
    public Map<String, Object> toJson() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", name);
        map.put("env", envVars);
        map.put("hosts", hosts);
        map.put("placeholder", placeholder);
        map.put("store", store);
        map.put("created", created.toString());
        return map;
    }

    /** Whether a request to {@code host} may carry this secret's value. */
    public boolean allowsHost(String host) {
        return hosts.stream().anyMatch(pattern -> SecretHost.parse(pattern).matches(host));
    }
}
