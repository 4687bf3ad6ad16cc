package dev.corral.app;

import dev.corral.agents.AgentCache;
import dev.corral.agents.AgentException;
import dev.corral.agents.AgentProfile;
import dev.corral.agents.AgentProfiles;
import dev.corral.agents.AgentVersion;
import dev.corral.agents.RegistryVersions;
import dev.corral.net.tls.UpstreamTls;
import dev.corral.policy.UserConfig;
import dev.corral.sandbox.Backend;
import dev.corral.sandbox.CorralPaths;
import dev.corral.sandbox.RuntimeState;
import dev.corral.sandbox.SandboxName;
import dev.corral.sandbox.SandboxStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** {@code corral agents}: the profiles, what is installed, what the registries offer; installs and removals. */
public final class AgentService {
    private final CorralPaths paths;
    private final Map<String, String> hostEnv;
    private final Backend backend;
    private final AgentProfiles profiles;
    private final AgentCache cache;

    public AgentService(CorralPaths paths, Map<String, String> hostEnv, Backend backend) {
        this.paths = paths;
        this.hostEnv = hostEnv;
        this.backend = backend;
        this.profiles = new AgentProfiles(AgentProfiles.userDir(paths.config()));
        this.cache = new AgentCache(AgentCache.rootFor(paths.data(), UserConfig.load(paths.config()).agentCache()));
    }

    /**
     * @param latest the registry's newest version; empty when unknown (not asked, unreachable, or from the host)
     */
    public record AgentStatus(AgentProfile profile, List<String> installed, Optional<String> latest) {
        public boolean updateAvailable() {
            return latest.isPresent() && !installed.isEmpty() && AgentVersion.NEWEST_FIRST.compare(latest.get(), installed.getFirst()) < 0;
        }
    }

    public List<AgentStatus> list(boolean askRegistries) {
        List<AgentProfile> all = List.copyOf(profiles.all().values());
        Map<String, Optional<String>> latest = askRegistries
                ? RegistryVersions.latest(all, hostEnv, UpstreamTls.context(UserConfig.load(paths.config()).caFiles()))
                : Map.of();
        List<AgentStatus> statuses = new ArrayList<>();
        for (AgentProfile profile : all) {
            List<String> versions = cache.installed(profile).stream().map(AgentCache.Installed::version).toList();
            statuses.add(new AgentStatus(profile, versions, latest.getOrDefault(profile.name(), Optional.empty())));
        }
        return statuses;
    }

    /** Installs the given version, or the registry's newest; the version now installed. */
    public AgentCache.Installed install(String name, Optional<String> version, Consumer<String> progress) {
        version.ifPresent(AgentVersion::require);
        AgentProfile profile = profiles.get(name);
        if (profile.install().registry() == AgentProfile.Registry.HOST) {
            throw new AgentException(name + " is not installed by Corral", "install it on the host and run it with --agent-from host");
        }
        AgentInstaller installer = new AgentInstaller(cache, paths, backend, hostEnv, UserConfig.load(paths.config()));
        return installer.update(profile, version, progress);
    }

    /** Removes installed versions of an agent (all when none is named); refused while one of its sandboxes runs. */
    public List<String> remove(String name, Optional<String> version) {
        AgentProfile profile = profiles.get(name);
        RuntimeState runtime = new RuntimeState(paths);
        SandboxStore store = new SandboxStore(paths);
        for (SandboxName running : runtime.runningNames()) {
            if (store.find(running).map(r -> r.spec().agent().equals(profile.name())).orElse(false)) {
                throw new AgentException("sandbox " + running + " is running " + name, "stop it first: corral stop " + running);
            }
        }
        List<AgentCache.Installed> installed = cache.installed(profile.name());
        List<AgentCache.Installed> chosen = version.isEmpty() ? installed
                : installed.stream().filter(i -> i.version().equals(version.get())).toList();
        if (chosen.isEmpty()) {
            throw new AgentException(name + (version.map(v -> " " + v).orElse("")) + " is not installed", "see what is: corral agents");
        }
        chosen.forEach(cache::remove);
        return chosen.stream().map(AgentCache.Installed::version).toList();
    }
}
