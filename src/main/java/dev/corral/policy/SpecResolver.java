package dev.corral.policy;

import dev.corral.host.Identity;
import dev.corral.sandbox.ContainerSettings;
import dev.corral.sandbox.Limits;
import dev.corral.sandbox.SandboxName;
import dev.corral.sandbox.SandboxRecord;
import dev.corral.sandbox.SandboxSpec;
import dev.corral.sandbox.Volume;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Merges what the user typed with what a sandbox of that name already stores into the spec to
 * run, and lists every setting that changed, so an updated sandbox never silently keeps (or
 * silently drops) a setting.
 */
public final class SpecResolver {
    /** Folders that may never be a workspace: the system, and places that hold the user's secrets. */
    static final List<String> FORBIDDEN = List.of("/", "/usr", "/etc", "/bin", "/sbin", "/lib", "/lib64", "/boot",
            "/proc", "/sys", "/dev", "/run", "/var", "/opt", "/home", "/root", "/tmp", "/srv", "/mnt", "/media");

    public record Resolution(SandboxSpec spec, boolean isNew, List<String> changes) {
    }

    /**
     * @param corralDirs Corral's own data, configuration and runtime folders: never visible inside
     */
    public record Context(Path cwd, Identity identity, Map<String, String> hostEnv, List<Path> corralDirs, int hostCpus) {
        public Context {
            corralDirs = List.copyOf(corralDirs);
        }

        /** The same context, with one more of Corral's folders (the agent cache, say) kept out of sandboxes. */
        public Context alsoApartFrom(Path dir) {
            if (corralDirs.contains(dir)) return this;
            List<Path> dirs = new ArrayList<>(corralDirs);
            dirs.add(dir);
            return new Context(cwd, identity, hostEnv, dirs, hostCpus);
        }
    }

    private SpecResolver() {
    }

    public static Resolution resolve(RunOptions options, Context context, Function<SandboxName, Optional<SandboxRecord>> store) {
        return resolve(options, context, store, NATIVE);
    }

    /** @param defaultBackend what a new sandbox runs on when {@code --backend} isn't given (the user's configuration's) */
    public static Resolution resolve(RunOptions options, Context context, Function<SandboxName, Optional<SandboxRecord>> store,
                                     String defaultBackend) {
        String agent = options.agent().orElse("shell");
        Optional<Path> workspaceOption = options.workspace().map(w -> workspace(w, context));
        Optional<SandboxRecord> existing;
        SandboxName name;
        if (options.name().isPresent()) {
            name = new SandboxName(options.name().get());
            existing = store.apply(name);
        } else {
            Path ws = workspaceOption.orElseGet(() -> workspace(context.cwd().toString(), context));
            workspaceOption = Optional.of(ws);
            name = SandboxName.derive(agent, ws.getFileName() == null ? "root" : ws.getFileName().toString());
            existing = store.apply(name);
            if (existing.isPresent() && !existing.get().spec().workspace().equals(ws)) {
                name = new SandboxName(trim(name.value(), 58) + "-" + shortHash(ws.toString()));
                existing = store.apply(name);
            }
        }
        Map<String, String> env = EnvironmentPolicy.parseAssignments(options.env(), context.hostEnv());
        List<Volume> volumes = options.volumes().stream().map(v -> volume(v, context)).toList();
        Limits given = limits(options, context);
        options.backend().ifPresent(SpecResolver::requireBackend);
        ContainerSettings container = container(options.container());
        List<NetworkRule> runRules = NetworkOptions.rules(options);
        List<PublishedPort> published = NetworkOptions.published(options);
        if (existing.isEmpty()) {
            Path ws = workspaceOption.orElseGet(() -> workspace(context.cwd().toString(), context));
            NetworkSettings network = new NetworkSettings(options.network().map(NetworkPreset::parse).orElse(NetworkPreset.DEFAULT),
                    runRules, published);
            AgentSettings agentSettings = AgentSettings.merge(AgentSettings.DEFAULT, agent, options.agentOptions(), new ArrayList<>());
            String backend = options.backend().orElse(defaultBackend);
            requireContainerSettings(backend, container);
            return new Resolution(new SandboxSpec(name, agent, ws, env, volumes, given, backend, network, agentSettings, Optional.empty(),
                    container), true, List.of());
        }
        SandboxSpec old = existing.get().spec();
        if (workspaceOption.isEmpty()) revalidate(old.workspace(), context);
        if (options.volumes().isEmpty()) {
            for (Volume volume : old.volumes()) requireUnmoved(volume.hostPath(), "volume", context);
        }
        if (!old.agent().equals(agent) && options.agent().isPresent()) {
            throw new PolicyException("sandbox " + name + " runs agent '" + old.agent() + "', not '" + agent + "'",
                    "choose another name with --name, or remove it: corral rm " + name);
        }
        SandboxSpec spec = old;
        List<String> changes = new ArrayList<>();
        if (workspaceOption.isPresent() && !workspaceOption.get().equals(old.workspace())) {
            spec = spec.withWorkspace(workspaceOption.get());
            changes.add("workspace " + old.workspace() + " -> " + workspaceOption.get());
        }
        if (!options.env().isEmpty() && !env.equals(old.env())) {
            spec = spec.withEnv(env);
            changes.add("env " + String.join(",", old.env().keySet()) + " -> " + String.join(",", env.keySet()));
        }
        if (!options.volumes().isEmpty() && !volumes.equals(old.volumes())) {
            spec = spec.withVolumes(volumes);
            changes.add("volumes " + old.volumes().stream().map(Volume::spec).toList()
                    + " -> " + volumes.stream().map(Volume::spec).toList());
        }
        Limits merged = old.limits().overriddenBy(given);
        if (!merged.equals(old.limits())) {
            spec = spec.withLimits(merged);
            changes.add(LimitsText.describeChange(old.limits(), merged));
        }
        NetworkSettings network = NetworkOptions.merge(old.network(), options, runRules, published, changes);
        if (!network.equals(old.network())) spec = spec.withNetwork(network);
        AgentSettings agentSettings = AgentSettings.merge(old.agentSettings(), old.agent(), options.agentOptions(), changes);
        if (!agentSettings.equals(old.agentSettings())) spec = spec.withAgentSettings(agentSettings);
        String backend = options.backend().orElse(old.backend());
        ContainerSettings settings = backend.equals(old.backend()) ? old.container().overriddenBy(container) : container;
        requireContainerSettings(backend, settings);
        if (!backend.equals(old.backend()) || !settings.equals(old.container())) {
            spec = spec.withBackend(backend, settings);
            changes.add("backend " + describe(old.backend(), old.container()) + " -> " + describe(backend, settings));
        }
        return new Resolution(spec, false, changes);
    }

    public static final String NATIVE = "native";
    public static final String DOCKER = "docker";
    private static final java.util.regex.Pattern IMAGE = java.util.regex.Pattern.compile(
            "[a-z0-9][a-z0-9._/:@+-]{0,254}");
    private static final java.util.regex.Pattern RUNTIME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    /** Fails unless {@code backend} is one Corral has. */
    public static String requireBackend(String backend) {
        if (!backend.equals(NATIVE) && !backend.equals(DOCKER)) {
            throw new PolicyException("unknown backend '" + backend + "'", "use --backend native (the default) or --backend docker");
        }
        return backend;
    }

    private static ContainerSettings container(ContainerSettings given) {
        given.image().ifPresent(image -> {
            if (!IMAGE.matcher(image).matches() || image.contains("//") || image.endsWith(":") || image.contains("..")) {
                throw new PolicyException("invalid image name '" + image + "'", "name an image the engine has, e.g. --image debian:bookworm");
            }
        });
        given.runtime().ifPresent(runtime -> {
            if (!RUNTIME.matcher(runtime).matches()) {
                throw new PolicyException("invalid runtime name '" + runtime + "'", "name a runtime the engine knows, e.g. --runtime runsc");
            }
        });
        return given;
    }

    private static void requireContainerSettings(String backend, ContainerSettings container) {
        if (!backend.equals(DOCKER) && !container.isEmpty()) {
            throw new PolicyException((container.image().isPresent() ? "--image" : "--runtime") + " needs the Docker backend",
                    "add --backend docker");
        }
    }

    private static String describe(String backend, ContainerSettings container) {
        StringBuilder text = new StringBuilder(backend);
        container.image().ifPresent(image -> text.append(" image ").append(image));
        container.runtime().ifPresent(runtime -> text.append(" runtime ").append(runtime));
        return text.toString();
    }

    private static Limits limits(RunOptions options, Context context) {
        Limits limits = Limits.NONE;
        if (options.memory().isPresent()) {
            long bytes = Sizes.parse("--memory", options.memory().get());
            if (bytes < 6L << 20) throw new PolicyException("--memory " + options.memory().get() + " is too small", "give at least 6m");
            limits = limits.withMemory(bytes);
        }
        if (options.cpus().isPresent()) {
            String text = options.cpus().get();
            double cpus;
            try {
                cpus = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new PolicyException("invalid number for --cpus: '" + text + "'", "use a number such as --cpus 1.5");
            }
            if (!(cpus >= 0.01) || cpus > context.hostCpus()) {
                throw new PolicyException("--cpus " + text + " is out of range",
                        "give a number from 0.01 to " + context.hostCpus() + " (the CPUs of this machine)");
            }
            limits = limits.withCpus(cpus);
        }
        if (options.pids().isPresent()) {
            String text = options.pids().get();
            long pids;
            try {
                pids = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new PolicyException("invalid number for --pids: '" + text + "'", "use a whole number such as --pids 512");
            }
            if (pids < 8) throw new PolicyException("--pids " + text + " is too small", "give at least 8");
            limits = limits.withPids(pids);
        }
        return limits;
    }

    static Path workspace(String text, Context context) {
        Path given = context.cwd().resolve(text).normalize();
        if (!Files.isDirectory(given)) {
            throw new PolicyException("workspace " + given + " does not exist or is not a directory",
                    "create it first, or pass an existing folder with -w");
        }
        Path real;
        try {
            real = given.toRealPath();
        } catch (IOException e) {
            throw new PolicyException("cannot resolve workspace " + given + ": " + e.getMessage(), "check its permissions");
        }
        Path home = context.identity().home();
        if (FORBIDDEN.contains(real.toString()) || home.startsWith(real)) {
            throw new PolicyException("refusing to use " + real + " as a workspace: the sandbox would get it read-write",
                    "use a project folder, e.g. cd ~/myproject && corral run");
        }
        requireApartFromCorral(real, "as a workspace", context);
        return real;
    }

    /**
     * A stored workspace is checked again at every launch: the folder may have been replaced by a
     * link (by a sandbox of an enclosing folder, say) that now leads somewhere else.
     */
    private static void revalidate(Path stored, Context context) {
        Path real = workspace(stored.toString(), context);
        if (!real.equals(stored)) {
            throw new PolicyException("the stored workspace " + stored + " now leads to " + real,
                    "check what replaced it; pass the folder again with -w, or remove the sandbox");
        }
    }

    private static void requireUnmoved(Path stored, String what, Context context) {
        try {
            Path real = stored.toRealPath();
            if (!real.equals(stored)) {
                throw new PolicyException("the stored " + what + " " + stored + " now leads to " + real,
                        "check what replaced it; give the " + what + " again, or remove the sandbox");
            }
            requireApartFromCorral(real, "as a " + what, context);
        } catch (IOException e) {
            throw new PolicyException("the stored " + what + " " + stored + " is gone: " + e.getMessage(),
                    "give the " + what + " again with -v, or remove the sandbox");
        }
    }

    /**
     * Corral's own folders hold other sandboxes' settings, homes and supervisor records: a sandbox
     * that could write them could give itself more on its next run, or stop others.
     */
    private static void requireApartFromCorral(Path path, String use, Context context) {
        for (Path dir : context.corralDirs()) {
            Path real = realOrSelf(dir);
            if (path.startsWith(real) || real.startsWith(path)) {
                throw new PolicyException("refusing to use " + path + " " + use + ": it holds Corral's own state (" + dir + ")",
                        "use a project folder that does not contain " + dir);
            }
        }
    }

    private static Path realOrSelf(Path dir) {
        for (Path p = dir; p != null; p = p.getParent()) {
            try {
                return p.toRealPath().resolve(p.relativize(dir));
            } catch (IOException ignored) {
                // not there yet: try its parent
            }
        }
        return dir;
    }

    private static Volume volume(String text, Context context) {
        Volume volume;
        try {
            String[] parts = text.split(":", 2);
            if (parts[0].isEmpty()) throw new IllegalArgumentException("the host path is empty");
            String host = parts[0].startsWith("/") ? parts[0] : context.cwd().resolve(parts[0]).normalize().toString();
            volume = Volume.parse(parts.length > 1 ? host + ":" + parts[1] : host);
        } catch (RuntimeException e) {
            throw new PolicyException("invalid volume '" + text + "': " + e.getMessage(), "use -v HOST[:SANDBOX][:ro] with absolute paths");
        }
        if (!Files.exists(volume.hostPath())) {
            throw new PolicyException("volume source " + volume.hostPath() + " does not exist", "create it first or fix the path");
        }
        Path inside = volume.sandboxPath();
        if (inside.getNameCount() == 0 || inside.startsWith("/proc") || inside.startsWith("/dev")) {
            throw new PolicyException("volume target " + inside + " is not allowed", "mount it somewhere else, e.g. /mnt/data");
        }
        try {
            Path real = volume.hostPath().toRealPath();
            requireApartFromCorral(real, "as a volume", context);
            return new Volume(real, volume.sandboxPath(), volume.readOnly());
        } catch (IOException e) {
            throw new PolicyException("cannot resolve volume source " + volume.hostPath() + ": " + e.getMessage(), "check its permissions");
        }
    }

    private static String trim(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static String shortHash(String s) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 2);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
