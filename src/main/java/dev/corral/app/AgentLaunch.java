package dev.corral.app;

import dev.corral.agents.AgentCache;
import dev.corral.agents.AgentException;
import dev.corral.agents.AgentProfile;
import dev.corral.agents.HostAgent;
import dev.corral.agents.InstallPlan;
import dev.corral.host.Identity;
import dev.corral.policy.EnvironmentPolicy;
import dev.corral.policy.NetworkPreset;
import dev.corral.policy.NetworkRule;
import dev.corral.sandbox.AgentSetup;
import dev.corral.sandbox.NetworkAccess;
import dev.corral.sandbox.Volume;
import dev.corral.support.Files2;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One launch of an agent: its program (from the cache, read-only, or the user's own), its login
 * folders from the agent's volume, the credentials or SSH agent the user chose to share, its
 * environment, and the command line with its autonomy flags before the user's arguments.
 *
 * @param argv the command inside: the agent, its autonomy flags, then what followed {@code --}
 */
public record AgentLaunch(AgentSetup setup, List<String> argv) {
    /** Where a forwarded SSH agent's socket appears inside. */
    static final String SSH_SOCKET = "/run/corral-ssh-agent.sock";

    /** What the agent runs: an install from the cache, or the user's own program. */
    public sealed interface Program permits Cached, Host {
    }

    public record Cached(AgentCache.Installed installed) implements Program {
    }

    public record Host(HostAgent.Found found) implements Program {
    }

    /**
     * @param volume          the agent's volume on the host, shared by its sandboxes
     * @param sandboxHome     the sandbox's private home on the host (where mount points outside the volume land)
     * @param hostCredentials share the profile's credential files from the user's home, read-only
     * @param sshAgentSocket  the user's SSH agent to forward, if asked
     */
    public record Request(AgentProfile profile, Program program, Identity identity, Path volume, Path sandboxHome,
                          boolean hostCredentials, Optional<Path> sshAgentSocket, List<String> args) {
    }

    public static AgentLaunch of(Request request, Consumer<String> notices) {
        AgentProfile profile = request.profile();
        Path home = request.identity().home();
        List<Volume> mounts = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        String command;
        String bin;
        // if and instanceof, not a pattern switch: that costs a bootstrap at every start
        if (request.program() instanceof Cached cached) {
            mounts.add(new Volume(cached.installed().dir(), Path.of(AgentCache.sandboxDir(profile.name())), true));
            Path program = InstallPlan.command(profile);
            command = program.toString();
            bin = program.getParent().toString();
        } else {
            HostAgent.Found found = ((Host) request.program()).found();
            if (found.mountRoot().isPresent()) mounts.add(new Volume(found.mountRoot().get(), found.mountRoot().get(), true));
            command = found.executable().toString();
            bin = found.executable().getParent().toString();
        }
        if (request.hostCredentials()) {
            // the login comes from the user's home: the agent's folders stay in this sandbox's own
            // home (one sandbox at a time writes there), never in the volume other sandboxes share
            shareCredentials(request, mounts, notices);
        } else {
            for (String login : profile.login()) {
                Path inVolume = AgentProfile.underHome(request.volume(), login);
                createPrivate(inVolume);
                requirePlainFolder(request.volume(), inVolume);
                mounts.add(new Volume(inVolume, AgentProfile.underHome(home, login), false));
            }
        }
        profile.environment().forEach((key, value) -> env.put(key, value.startsWith("~/") ? AgentProfile.underHome(home, value).toString() : value));
        request.sshAgentSocket().ifPresent(socket -> {
            mounts.add(new Volume(socket, Path.of(SSH_SOCKET), false));
            env.put("SSH_AUTH_SOCK", SSH_SOCKET);
            // ssh has no proxy of its own: git's ssh goes through the sandbox's proxy, which applies the rules
            env.put("GIT_SSH_COMMAND", "ssh -o StrictHostKeyChecking=accept-new -o ProxyCommand='socat - PROXY:127.0.0.1:%h:%p,proxyport="
                    + NetworkAccess.PROXY_PORT + "'");
            notices.accept("--ssh-agent: the sandbox can use every key your SSH agent holds until it stops");
        });
        env.put("PATH", bin + ":" + EnvironmentPolicy.path(request.identity()));
        List<String> argv = new ArrayList<>();
        argv.add(command);
        argv.addAll(profile.autonomy());
        argv.addAll(request.args());
        return new AgentLaunch(new AgentSetup(mounts, env), argv);
    }

    /**
     * Binds each credential file the user has over its place in the agent's volume, read-only. A
     * mount point bubblewrap must create is removed again after the run.
     */
    private static void shareCredentials(Request request, List<Volume> mounts, Consumer<String> notices) {
        Path home = request.identity().home();
        for (String file : request.profile().credentials()) {
            Path source = AgentProfile.underHome(home, file);
            if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
                notices.accept("--credentials host: " + source + (Files.isSymbolicLink(source) ? " is a link, not shared" : " does not exist")
                        + "; log in on the host first");
                continue;
            }
            mounts.add(new Volume(source, AgentProfile.underHome(home, file), true));
        }
    }

    /**
     * The folder bound into the sandbox must be the volume's own, not a link a sandbox left there
     * (bubblewrap follows the source path on the host).
     */
    private static void requirePlainFolder(Path volume, Path dir) {
        try {
            Path real = dir.toRealPath();
            if (!real.equals(volume.toRealPath().resolve(volume.relativize(dir))) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new AgentException("the agent's folder " + dir + " leads to " + real + ", not into its volume",
                        "remove it (a sandbox may have replaced it): rm -r " + dir);
            }
        } catch (IOException e) {
            throw new AgentException("cannot check the agent's folder " + dir + ": " + e.getMessage(), "check its permissions", e);
        }
    }

    private static void createPrivate(Path dir) {
        try {
            Files2.createPrivateDirectories(dir);
        } catch (IOException e) {
            throw new AgentException("cannot create the agent's folder " + dir + ": " + e.getMessage(), "check that it is writable", e);
        }
    }

    /** The rules the sandbox's agent adds (every profile's for a shell, which may run any of them). */
    public static List<NetworkRule> rulesFor(dev.corral.sandbox.SandboxSpec spec, dev.corral.agents.AgentProfiles profiles) {
        List<AgentProfile> agents = new ArrayList<>();
        if (spec.agent().equals(dev.corral.agents.AgentProfiles.SHELL)) {
            for (String name : profiles.names()) {
                if (name.equals(dev.corral.agents.AgentProfiles.SHELL)) continue;
                try {
                    agents.add(profiles.get(name));
                } catch (AgentException e) {
                    // a broken profile is reported where it is used, not in every shell's network
                }
            }
        } else {
            agents.add(profiles.get(spec.agent()));
        }
        return rules(agents, spec.network().preset());
    }

    /**
     * The hosts an agent adds to its sandbox's rules: its profile's, under the {@code balanced}
     * preset only ({@code deny-all} means what it says; {@code open} needs none).
     */
    public static List<NetworkRule> rules(List<AgentProfile> profiles, NetworkPreset preset) {
        List<NetworkRule> rules = new ArrayList<>();
        if (preset != NetworkPreset.BALANCED) return rules;
        for (AgentProfile profile : profiles) {
            for (var host : profile.hosts()) rules.add(new NetworkRule(NetworkRule.Action.ALLOW, host, "agent " + profile.name()));
        }
        return rules;
    }
}
