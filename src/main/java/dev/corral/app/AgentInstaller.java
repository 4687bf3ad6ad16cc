package dev.corral.app;

import dev.corral.agents.AgentCache;
import dev.corral.agents.AgentException;
import dev.corral.agents.AgentProfile;
import dev.corral.agents.AgentProfiles;
import dev.corral.agents.InstallPlan;
import dev.corral.agents.InstalledVersion;
import dev.corral.agents.RegistryVersions;
import dev.corral.net.tls.UpstreamTls;
import dev.corral.net.Decision;
import dev.corral.policy.HostPattern;
import dev.corral.policy.NetworkPreset;
import dev.corral.policy.NetworkRule;
import dev.corral.policy.NetworkSettings;
import dev.corral.policy.UserConfig;
import dev.corral.sandbox.Backend;
import dev.corral.sandbox.Command;
import dev.corral.sandbox.CorralPaths;
import dev.corral.sandbox.Limits;
import dev.corral.sandbox.SandboxName;
import dev.corral.sandbox.SandboxSpec;
import dev.corral.sandbox.Volume;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Installs an agent into the shared cache on its first use. The package manager runs in a Corral
 * sandbox of its own: it sees the system read-only, writes only the staging folder (mounted where
 * the install will be seen by sandboxes, so paths it records hold), and reaches only the
 * registry. Its output goes to stderr as progress; a failure names the cause and leaves nothing
 * a later run would use.
 */
public final class AgentInstaller {
    private final AgentCache cache;
    private final CorralPaths paths;
    private final Backend backend;
    private final Map<String, String> hostEnv;
    private final UserConfig config;

    public AgentInstaller(AgentCache cache, CorralPaths paths, Backend backend, Map<String, String> hostEnv, UserConfig config) {
        this.cache = cache;
        this.paths = paths;
        this.backend = backend;
        this.hostEnv = hostEnv;
        this.config = config;
    }

    /**
     * The install to run: the pinned version, or the newest installed one, installing it first if
     * there is none (the registry's newest, asked first: an install must end with the version asked
     * for, so a package can't name its own version).
     */
    public AgentCache.Installed ensure(AgentProfile profile, Optional<String> version, Consumer<String> progress) {
        Optional<AgentCache.Installed> present = present(profile, version);
        return present.isPresent() ? present.get() : installLocked(profile, version, true, progress);
    }

    /** Installs the given version, or the registry's newest, unless it is installed already. */
    public AgentCache.Installed update(AgentProfile profile, Optional<String> version, Consumer<String> progress) {
        return installLocked(profile, version, false, progress);
    }

    /** @param anyWillDo whether an install another run made meanwhile (of any version, when none is pinned) is enough */
    private AgentCache.Installed installLocked(AgentProfile profile, Optional<String> version, boolean anyWillDo, Consumer<String> progress) {
        try (AutoCloseable ignored = cache.lock(profile.name())) {
            Optional<AgentCache.Installed> present = anyWillDo ? present(profile, version) : Optional.empty();
            if (present.isPresent()) return present.get();
            String exact = version.isPresent() ? version.get() : newest(profile);
            present = present(profile, Optional.of(exact));
            if (present.isPresent()) return present.get();
            return install(InstallPlan.of(profile, Optional.of(exact), hostEnv), progress);
        } catch (AgentException e) {
            throw e;
        } catch (Exception e) {
            throw new AgentException("cannot install " + profile.name() + ": " + e.getMessage(), "try again; corral doctor checks the prerequisites", e);
        }
    }

    private Optional<AgentCache.Installed> present(AgentProfile profile, Optional<String> version) {
        return cache.installed(profile).stream().filter(i -> version.isEmpty() || i.version().equals(version.get())).findFirst();
    }

    private String newest(AgentProfile profile) {
        return RegistryVersions.newest(profile, hostEnv, UpstreamTls.context(config.caFiles()));
    }

    private AgentCache.Installed install(InstallPlan plan, Consumer<String> progress) {
        AgentProfile profile = plan.profile();
        if (InstallPlan.systemProgram(plan.tool()).isEmpty()) {
            throw new AgentException(plan.tool() + " is not installed where sandboxes see it (" + String.join(", ", InstallPlan.SYSTEM_BIN)
                    + "); Corral installs " + profile.name() + " with it",
                    plan.tool().equals("npm") ? "sudo apt-get install nodejs npm" : "sudo apt-get install python3 python3-venv");
        }
        long started = System.nanoTime();
        progress.accept("installing " + profile.name() + ": " + plan.describe() + " (once; its sandboxes share it)");
        AgentCache.Staging staging = cache.stage(profile.name());
        try {
            SandboxSpec spec = spec(plan, staging);
            Path runtimeDir = paths.runtime().resolve("installs").resolve(profile.name());
            List<Decision> failures = new ArrayList<>();
            Decision.Sink sink = decision -> {
                if (!decision.allowed() || !decision.reason().isEmpty()) {
                    synchronized (failures) {
                        failures.add(decision);
                    }
                }
            };
            try (SandboxNetwork network = SandboxNetwork.startFixed(spec, runtimeDir, config, sink)) {
                for (List<String> step : plan.steps()) {
                    int status = backend.run(new Backend.Launch(spec, new Command(toStderr(step), false), staging.home(),
                            runtimeDir, Backend.Listener.notices(progress), network.access()));
                    if (status != 0) throw failed(plan, step, status, failures);
                }
            }
            String version = InstalledVersion.of(profile, staging.pkg()).orElseThrow(() -> new AgentException(
                    "the install of " + plan.describe() + " finished without a readable version of " + profile.install().pkg(),
                    "check the package name in the profile " + profile.source()));
            if (plan.version().isPresent() && !plan.version().get().equals(version)) {
                throw new AgentException("asked for " + profile.name() + " " + plan.version().get() + " but the registry gave " + version,
                        "give the exact version with --agent-version");
            }
            AgentCache.Installed installed = cache.commit(staging, profile.install().pkg(), version);
            progress.accept(String.format("installed %s %s in %.1f s", profile.name(), version, (System.nanoTime() - started) / 1e9));
            return installed;
        } finally {
            staging.discard();
        }
    }

    private static SandboxSpec spec(InstallPlan plan, AgentCache.Staging staging) {
        List<NetworkRule> rules = new ArrayList<>();
        for (HostPattern host : plan.hosts()) {
            rules.add(new NetworkRule(NetworkRule.Action.ALLOW, host, plan.userRegistry() ? "user install registry" : "install"));
        }
        NetworkSettings network = new NetworkSettings(NetworkPreset.DENY_ALL, rules, List.of());
        Volume pkg = new Volume(staging.pkg(), Path.of(AgentCache.sandboxDir(plan.profile().name())), false);
        return new SandboxSpec(new SandboxName("install-" + plan.profile().name()), AgentProfiles.SHELL, staging.work(),
                Map.of(), List.of(pkg), Limits.NONE, "native", network); // the default caps, where cgroups allow
    }

    /** The step with its output on stderr: progress for the user, never mixed into the agent's own output. */
    private static List<String> toStderr(List<String> step) {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", "exec \"$@\" >&2", "sh"));
        argv.addAll(step);
        return argv;
    }

    private static AgentException failed(InstallPlan plan, List<String> step, int status, List<Decision> failures) {
        String tool = Path.of(step.getFirst()).getFileName().toString();
        StringBuilder message = new StringBuilder("installing " + plan.profile().name() + " (" + plan.describe() + ") failed: "
                + tool + " exited with status " + status);
        synchronized (failures) {
            if (!failures.isEmpty()) {
                Decision last = failures.getLast();
                message.append("; ").append(last.host()).append(':').append(last.port()).append(" could not be reached (")
                        .append(last.reason().isEmpty() ? last.rule() : last.reason()).append(')');
            }
        }
        boolean npm = plan.profile().install().registry() == AgentProfile.Registry.NPM;
        return new AgentException(message.toString(), "see " + (npm ? "npm" : "pip") + "'s messages above; check that "
                + plan.registry().getHost() + " is reachable (or set " + (npm ? "npm_config_registry" : "PIP_INDEX_URL")
                + " to a mirror), then run again");
    }
}
