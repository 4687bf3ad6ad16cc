package dev.corral.secrets;

import dev.corral.support.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The services Corral knows (Anthropic, OpenAI, GitHub…), read from {@code services.json} next to
 * this class: for each, the variables its tools read the key from, the hosts that key belongs to,
 * and how a key looks. Anything else is a custom secret.
 */
public final class ServiceCatalog {
    private static final String RESOURCE = "services.json";
    private static final Set<String> SERVICE_KEYS = Set.of("name", "env", "hosts", "placeholder");
    private static final Set<String> PLACEHOLDER_KEYS = Set.of("prefix", "alphabet", "length");
    private final List<SecretDefinition> services;

    ServiceCatalog(List<SecretDefinition> services) {
        this.services = List.copyOf(services);
    }

    /** The built-in catalog. */
    public static ServiceCatalog builtIn() {
        return BuiltIn.CATALOG;
    }

    /** Loaded on first use only: most commands never need it. */
    private static final class BuiltIn {
        static final ServiceCatalog CATALOG = load();
    }

    private static ServiceCatalog load() {
        try (InputStream in = ServiceCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("resource " + RESOURCE + " is missing from the jar");
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<SecretDefinition> services() {
        return services;
    }

    public List<String> names() {
        return services.stream().map(SecretDefinition::name).toList();
    }

    public Optional<SecretDefinition> find(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** A known service, with {@code extraHosts} added to its own. */
    public SecretDefinition service(String name, List<String> extraHosts) {
        SecretDefinition service = find(name).orElseThrow(() -> new SecretException(
                "unknown service '" + name + "' (known: " + String.join(", ", names()) + ")",
                "for another service use: corral secret set-custom NAME --host HOST --env VAR"));
        return new SecretDefinition(service.name(), service.envVars(),
                Stream.concat(service.hosts().stream(), extraHosts.stream()).toList(), service.placeholder());
    }

    /** A secret for a service Corral doesn't know; its name can't be a known service's. */
    public SecretDefinition custom(String name, List<String> hosts, List<String> envVars) {
        if (find(name).isPresent()) {
            throw new SecretException("'" + name + "' is a built-in service",
                    "use: corral secret set " + name + " (add hosts with --host HOST)");
        }
        return new SecretDefinition(name, envVars, hosts, PlaceholderFormat.CUSTOM);
    }

    @SuppressWarnings("unchecked")
    static ServiceCatalog parse(String text) {
        Map<String, Object> root = Json.parseObject(text);
        if (!Long.valueOf(1).equals(root.get("version"))) throw new IllegalStateException(RESOURCE + ": unsupported version " + root.get("version"));
        List<SecretDefinition> services = new ArrayList<>();
        for (Object item : (List<Object>) root.get("services")) {
            Map<String, Object> service = (Map<String, Object>) item;
            requireKeys(service, SERVICE_KEYS);
            Map<String, Object> placeholder = (Map<String, Object>) service.get("placeholder");
            requireKeys(placeholder, PLACEHOLDER_KEYS);
            services.add(new SecretDefinition((String) service.get("name"), strings(service.get("env")), strings(service.get("hosts")),
                    new PlaceholderFormat((String) placeholder.get("prefix"),
                            PlaceholderFormat.Alphabet.named((String) placeholder.get("alphabet")),
                            ((Long) placeholder.get("length")).intValue())));
        }
        return new ServiceCatalog(services);
    }

    private static void requireKeys(Map<String, Object> map, Set<String> keys) {
        if (!map.keySet().equals(keys)) throw new IllegalStateException(RESOURCE + ": expected the keys " + keys + ", found " + map.keySet());
    }

    private static List<String> strings(Object value) {
        return ((List<?>) value).stream().map(String.class::cast).toList();
    }
}
