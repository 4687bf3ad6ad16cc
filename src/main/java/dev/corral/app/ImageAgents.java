package dev.corral.app;

import dev.corral.agents.AgentCache;
import dev.corral.agents.AgentException;
import dev.corral.agents.AgentProfile;
import dev.corral.agents.AgentProfiles;
import dev.corral.backend.linux.NativeBackend;
import dev.corral.host.Identity;
import dev.corral.host.cgroup.Cgroups;
import dev.corral.image.ImageService;
import dev.corral.policy.UserConfig;
import dev.corral.sandbox.CorralPaths;

import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The agents an image is built with: Corral's cache, installed as {@code corral agents install} does when missing. */
public record ImageAgents(Map<String, String> env, Identity identity) implements ImageService.Agents {
    @Override
    public void check(String agent) {
        AgentProfile profile = profiles().get(agent);
        if (profile.install().registry() == AgentProfile.Registry.HOST) {
            throw new AgentException(agent + " runs the user's own installation, which an image can't carry",
                    "build the base alone: corral image build");
        }
    }

    @Override
    public AgentCache.Installed ensure(String agent, Optional<String> version, Consumer<String> progress) {
        CorralPaths paths = paths();
        UserConfig config = UserConfig.load(paths.config());
        AgentCache cache = new AgentCache(AgentCache.rootFor(paths.data(), config.agentCache()));
        return new AgentInstaller(cache, paths, new NativeBackend(identity, env, Cgroups::forHost), env, config)
                .ensure(profiles().get(agent), version, progress);
    }

    private CorralPaths paths() {
        return CorralPaths.fromEnvironment(env, identity.home(), identity.uid());
    }

    private AgentProfiles profiles() {
        return new AgentProfiles(AgentProfiles.userDir(paths().config()));
    }
}
