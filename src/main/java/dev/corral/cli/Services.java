package dev.corral.cli;

import dev.corral.app.AgentService;
import dev.corral.app.CorralService;
import dev.corral.app.ImageAgents;
import dev.corral.app.NetworkPolicyService;
import dev.corral.app.SandboxBranches;
import dev.corral.backend.docker.DockerBackend;
import dev.corral.backend.docker.engine.Engine;
import dev.corral.backend.docker.engine.EngineAddress;
import dev.corral.backend.linux.NativeBackend;
import dev.corral.host.Identity;
import dev.corral.host.cgroup.Cgroups;
import dev.corral.image.ImageCache;
import dev.corral.image.ImageService;
import dev.corral.image.RootfsBuilder;
import dev.corral.image.RootfsRecipe;
import dev.corral.policy.PolicyException;
import dev.corral.policy.SpecResolver;
import dev.corral.sandbox.CorralPaths;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Builds the service the commands call, from the real environment. */
final class Services {
    private Services() {
    }

    static NetworkPolicyService networkPolicy() {
        Map<String, String> env = System.getenv();
        Identity identity = Identity.current(env);
        return new NetworkPolicyService(CorralPaths.fromEnvironment(env, identity.home(), identity.uid()), Path.of("").toAbsolutePath());
    }

    static AgentService agents() {
        Map<String, String> env = System.getenv();
        Identity identity = Identity.current(env);
        return new AgentService(CorralPaths.fromEnvironment(env, identity.home(), identity.uid()), env,
                new NativeBackend(identity, env, Cgroups::forHost));
    }

    /** Corral's images on the engine; the engine is reached only when a command needs it. */
    static ImageService images() {
        Map<String, String> env = System.getenv();
        Identity identity = Identity.current(env);
        ImageCache cache = ImageCache.fromEnvironment(env, identity.home(), Path.of("").toAbsolutePath());
        Engine[] engine = {null};
        return new ImageService(() -> {
            if (engine[0] == null) engine[0] = Engine.connect(EngineAddress.fromEnvironment(env));
            return engine[0];
        }, RootfsBuilder.forHost(cache, RootfsRecipe.base(env), identity), cache, new ImageAgents(env, identity));
    }

    static SandboxBranches branches() {
        Map<String, String> env = System.getenv();
        Identity identity = Identity.current(env);
        return new SandboxBranches(CorralPaths.fromEnvironment(env, identity.home(), identity.uid()));
    }

    static CorralService corral() {
        return corral(false);
    }

    /**
     * @param launching whether the command will start a sandbox: then the backend starts reading
     *                  the host at once, while the rest of the request is worked out
     */
    static CorralService corral(boolean launching) {
        Map<String, String> env = System.getenv();
        Identity identity = Identity.current(env);
        NativeBackend nativeBackend = new NativeBackend(identity, env, Cgroups::forHost);
        if (launching) nativeBackend.prefetch();
        CorralPaths paths = CorralPaths.fromEnvironment(env, identity.home(), identity.uid());
        SpecResolver.Context context = new SpecResolver.Context(Path.of("").toAbsolutePath(), identity, env,
                List.of(paths.data(), paths.config(), paths.runtime()),
                Runtime.getRuntime().availableProcessors());
        DockerBackend[] docker = {null};
        return new CorralService(paths, context, backend -> switch (backend) {
            case SpecResolver.NATIVE -> nativeBackend;
            case SpecResolver.DOCKER -> {
                if (docker[0] == null) docker[0] = new DockerBackend(identity, env, paths.data());
                yield docker[0];
            }
            default -> throw new PolicyException("unknown backend '" + backend + "'", "use --backend native or --backend docker");
        });
    }
}
