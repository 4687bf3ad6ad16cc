package dev.corral.agents;

import dev.corral.policy.HostPattern;
import dev.corral.policy.PolicyException;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How to install an agent, as commands for an install sandbox: the package manager runs inside
 * Corral's own sandbox (its install scripts included), writes only the staging folder mounted at
 * the agent's final path inside sandboxes, and reaches only the registry's host.
 *
 * @param steps    the commands, run one after another in the same staging folder
 * @param registry the registry's address, for messages
 * @param hosts    what the install sandbox may reach
 */
public record InstallPlan(AgentProfile profile, Optional<String> version, List<List<String>> steps, URI registry,
                          List<HostPattern> hosts) {
    public static final String NPM_REGISTRY = "https://registry.npmjs.org/";
    public static final String PYPI_INDEX = "https://pypi.org/simple/";
    static final List<String> PYPI_FILES = List.of("files.pythonhosted.org");

    public InstallPlan {
        steps = steps.stream().map(List::copyOf).toList();
        hosts = List.copyOf(hosts);
    }

    /**
     * @param hostEnv the caller's environment: {@code npm_config_registry} / {@code PIP_INDEX_URL}
     *                choose another registry, as they do for npm and pip themselves
     */
    public static InstallPlan of(AgentProfile profile, Optional<String> version, Map<String, String> hostEnv) {
        version.ifPresent(AgentVersion::require);
        String dir = AgentCache.sandboxDir(profile.name());
        String pkg = profile.install().pkg();
        List<List<String>> steps = new ArrayList<>();
        List<HostPattern> hosts = new ArrayList<>();
        URI registry;
        switch (profile.install().registry()) {
            case NPM -> {
                registry = registry(first(hostEnv, "npm_config_registry", "NPM_CONFIG_REGISTRY").orElse(NPM_REGISTRY));
                steps.add(List.of("npm", "install", "--prefix", dir, "--no-audit", "--no-fund", "--no-update-notifier",
                        "--omit=dev", "--logs-max=0", "--registry", registry.toString(), "--fetch-retries=1", "--fetch-retry-mintimeout=2000",
                        "--fetch-retry-maxtimeout=8000", "--fetch-timeout=60000", pkg + "@" + version.orElse("latest")));
            }
            case PYPI -> {
                registry = registry(first(hostEnv, "PIP_INDEX_URL", "pip_index_url").orElse(PYPI_INDEX));
                steps.add(List.of("python3", "-m", "venv", dir));
                List<String> pip = new ArrayList<>(List.of(dir + "/bin/python", "-m", "pip", "install", "--disable-pip-version-check",
                        "--no-input", "--retries", "1", "--timeout", "30", "--index-url", registry.toString()));
                // pip ignores a plain-HTTP index unless told to trust it; the user chose that index
                if (registry.getScheme().equals("http")) pip.addAll(List.of("--trusted-host", registry.getHost()));
                pip.add(pkg + version.map(v -> "==" + v).orElse(""));
                steps.add(pip);
                if (registry.toString().equals(PYPI_INDEX)) PYPI_FILES.forEach(h -> hosts.add(HostPattern.parse(h + ":443")));
            }
            default -> throw new AgentException("agent '" + profile.name() + "' is not installed by Corral",
                    "install it yourself and run it with --agent-from host");
        }
        // the registry's one port, never the whole host: install scripts run behind this rule
        int port = registry.getPort() > 0 ? registry.getPort() : registry.getScheme().equals("https") ? 443 : 80;
        String host = registry.getHost().contains(":") && !registry.getHost().startsWith("[") ? "[" + registry.getHost() + "]" : registry.getHost();
        hosts.addFirst(HostPattern.parse(host + ":" + port));
        return new InstallPlan(profile, version, steps, registry, hosts);
    }

    /** The package manager the steps start with, which must be on the sandbox's (system) search path. */
    public String tool() {
        return profile.install().registry() == AgentProfile.Registry.NPM ? "npm" : "python3";
    }

    /** Where a sandbox looks for programs of the system: a package manager must be in one of these. */
    public static final List<String> SYSTEM_BIN = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    /** Where a sandbox finds a system program ({@code npm}, {@code python3}), if it does. */
    public static Optional<Path> systemProgram(String name) {
        for (String dir : SYSTEM_BIN) {
            Path program = Path.of(dir, name);
            if (java.nio.file.Files.isExecutable(program)) return Optional.of(program);
        }
        return Optional.empty();
    }

    /** The agent's program inside its sandboxes. */
    public static Path command(AgentProfile profile) {
        String dir = AgentCache.sandboxDir(profile.name());
        return switch (profile.install().registry()) {
            case NPM -> Path.of(dir, "node_modules", ".bin", profile.command());
            case PYPI -> Path.of(dir, "bin", profile.command());
            case HOST -> throw new IllegalArgumentException(profile.name() + " is not installed by Corral");
        };
    }

    private static Optional<String> first(Map<String, String> env, String... keys) {
        for (String key : keys) {
            String value = env.get(key);
            if (value != null && !value.isBlank()) return Optional.of(value.strip());
        }
        return Optional.empty();
    }

    private static URI registry(String text) {
        try {
            URI uri = new URI(text.endsWith("/") ? text : text + "/");
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException("not an http(s) address without credentials");
            }
            HostPattern.parse(uri.getHost());
            return uri;
        } catch (java.net.URISyntaxException | IllegalArgumentException | PolicyException e) {
            throw new AgentException("the package registry '" + text + "' is not usable: " + e.getMessage(),
                    "set npm_config_registry (or PIP_INDEX_URL) to the registry's https address, or unset it");
        }
    }

    /** Whether the user chose the registry (so its exact host may be a private address, like a rule of theirs). */
    public boolean userRegistry() {
        String standard = profile.install().registry() == AgentProfile.Registry.NPM ? NPM_REGISTRY : PYPI_INDEX;
        return !registry.toString().equals(standard);
    }

    public String describe() {
        return profile.install().pkg() + version.map(v -> (profile.install().registry() == AgentProfile.Registry.NPM ? "@" : "==") + v).orElse("")
                + " from " + registry.getHost();
    }
}
