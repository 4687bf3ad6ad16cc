package dev.corral.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.agents.AgentCache;
import dev.corral.agents.AgentProfile;
import dev.corral.agents.AgentProfiles;
import dev.corral.agents.HostAgent;
import dev.corral.host.Identity;
import dev.corral.policy.EnvironmentPolicy;
import dev.corral.policy.HostPattern;
import dev.corral.policy.NetworkPreset;
import dev.corral.policy.NetworkRule;
import dev.corral.policy.NetworkRules;
import dev.corral.policy.NetworkSettings;
import dev.corral.sandbox.Limits;
import dev.corral.sandbox.NetworkAccess;
import dev.corral.sandbox.SandboxName;
import dev.corral.sandbox.SandboxSpec;
import dev.corral.sandbox.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What one launch of an agent mounts, sets and runs, with its folders in a temporary directory. */
class AgentLaunchTest {
    private static final AgentProfiles PROFILES = new AgentProfiles(Path.of("/nonexistent/corral/agents"));
    private static final AgentProfile CLAUDE = PROFILES.get("claude");

    @TempDir
    Path tmp;

    private Identity alice;
    private Path volume;
    private Path sandboxHome;
    private Path cacheDir;
    private final List<String> notices = new ArrayList<>();

    @BeforeEach
    void folders() throws IOException {
        Path base = tmp.toRealPath();
        alice = new Identity(1000, 1000, "alice", Files.createDirectories(base.resolve("home/alice")));
        volume = base.resolve("data/agents/claude");
        sandboxHome = Files.createDirectories(base.resolve("data/sandboxes/claude-project/home"));
        cacheDir = Files.createDirectories(base.resolve("cache/claude/2.0.14"));
    }

    private AgentLaunch.Program cached() {
        return new AgentLaunch.Cached(new AgentCache.Installed("claude", "2.0.14", "@anthropic-ai/claude-code", cacheDir, Instant.EPOCH));
    }

    private AgentLaunch launch(AgentProfile profile, AgentLaunch.Program program, boolean hostCredentials, Optional<Path> ssh,
                               String... args) {
        return AgentLaunch.of(new AgentLaunch.Request(profile, program, alice, volume, sandboxHome, hostCredentials, ssh, List.of(args)),
                notices::add);
    }

    private AgentLaunch claude(String... args) {
        return launch(CLAUDE, cached(), false, Optional.empty(), args);
    }

    private Path home(String path) {
        return alice.home().resolve(path);
    }

    private static AgentProfile profile(List<String> login, List<String> credentials, Map<String, String> env) {
        return new AgentProfile("agent", "an agent", new AgentProfile.Install(AgentProfile.Registry.NPM, "agent"), "agent", List.of(), env,
                List.of(), Map.of(), login, credentials, AgentProfile.BUILT_IN);
    }

    // --- a cached install

    @Test
    void theCachedInstallIsMountedReadOnlyAtTheAgentsFolderFirst() {
        AgentLaunch launch = claude();

        assertEquals(new Volume(cacheDir, Path.of("/run/corral-agents/claude"), true), launch.setup().mounts().getFirst());
    }

    @Test
    void loginFoldersAreMadePrivateInTheVolumeAndMountedReadWriteAtTheHome() throws IOException {
        AgentLaunch launch = claude();

        assertEquals(new Volume(volume.resolve(".claude"), home(".claude"), false), launch.setup().mounts().get(1));
        assertEquals(2, launch.setup().mounts().size());
        assertTrue(Files.isDirectory(volume.resolve(".claude")));
        assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(volume.resolve(".claude")));
        assertFalse(Files.exists(home(".claude")), "nothing is created in the user's real home");
    }

    @Test
    void nestedLoginFoldersAreAllCreatedInTheVolume() {
        AgentLaunch launch = launch(profile(List.of("~/.local/share/agent", "~/.config/agent"), List.of(), Map.of()), cached(), false,
                Optional.empty());

        assertEquals(List.of(new Volume(volume.resolve(".local/share/agent"), home(".local/share/agent"), false),
                new Volume(volume.resolve(".config/agent"), home(".config/agent"), false)), launch.setup().mounts().subList(1, 3));
        assertTrue(Files.isDirectory(volume.resolve(".local/share/agent")));
        assertTrue(Files.isDirectory(volume.resolve(".config/agent")));
    }

    @Test
    void thePathStartsWithTheAgentsBinFolder() {
        Map<String, String> env = claude().setup().environment();

        assertEquals("/run/corral-agents/claude/node_modules/.bin:" + EnvironmentPolicy.path(alice), env.get("PATH"));
    }

    @Test
    void profileValuesUnderTheHomeAreExpandedToTheSandboxsHome() {
        Map<String, String> env = claude().setup().environment();

        assertEquals(home(".claude").toString(), env.get("CLAUDE_CONFIG_DIR"));
        assertEquals("1", env.get("IS_SANDBOX"));
        assertEquals("1", env.get("DISABLE_AUTOUPDATER"));
    }

    @Test
    void onlyAValueStartingWithTildeSlashIsExpanded() {
        Map<String, String> env = launch(profile(List.of(), List.of(), Map.of("A", "~", "B", "~alice/x", "C", "x/~/y", "D", "~/a/b")),
                cached(), false, Optional.empty()).setup().environment();

        assertEquals("~", env.get("A"));
        assertEquals("~alice/x", env.get("B"));
        assertEquals("x/~/y", env.get("C"));
        assertEquals(home("a/b").toString(), env.get("D"));
    }

    @Test
    void theCommandLineIsTheProgramThenItsAutonomyFlagsThenTheUsersArguments() {
        AgentLaunch launch = claude("-p", "fix the tests", "--dangerously-skip-permissions");

        assertEquals(List.of("/run/corral-agents/claude/node_modules/.bin/claude", "--dangerously-skip-permissions", "-p", "fix the tests",
                "--dangerously-skip-permissions"), launch.argv());
    }

    @Test
    void aPlainLaunchHasNoSshAndNoNotices() {
        AgentLaunch launch = claude();

        assertFalse(launch.setup().environment().containsKey("SSH_AUTH_SOCK"));
        assertFalse(launch.setup().environment().containsKey("GIT_SSH_COMMAND"));
        assertEquals(List.of(), notices);
    }

    @Test
    void aPythonAgentRunsFromItsVirtualEnvironment() {
        AgentProfile aider = PROFILES.get("aider");

        AgentLaunch launch = launch(aider, cached(), false, Optional.empty(), "--model", "x");

        assertEquals(List.of("/run/corral-agents/aider/bin/aider", "--yes-always", "--model", "x"), launch.argv());
        assertTrue(launch.setup().environment().get("PATH").startsWith("/run/corral-agents/aider/bin:"));
        assertEquals(Path.of("/run/corral-agents/aider"), launch.setup().mounts().getFirst().sandboxPath());
    }

    // --- the user's own program

    @Test
    void aHostProgramRunsAtItsRealPathWithItsPackageMountedReadOnly() {
        AgentProfile kiro = PROFILES.get("kiro");
        Path pkg = Path.of("/home/alice/.local/share/kiro");
        AgentLaunch.Program program = new AgentLaunch.Host(new HostAgent.Found(pkg.resolve("bin/kiro-cli"), Optional.of(pkg)));

        AgentLaunch launch = launch(kiro, program, false, Optional.empty(), "--resume");

        assertEquals(new Volume(pkg, pkg, true), launch.setup().mounts().getFirst());
        assertEquals(List.of("/home/alice/.local/share/kiro/bin/kiro-cli", "chat", "--trust-all-tools", "--resume"), launch.argv());
        assertTrue(launch.setup().environment().get("PATH").startsWith("/home/alice/.local/share/kiro/bin:"));
    }

    @Test
    void aHostProgramOnASystemPathAddsNoInstallMount() {
        AgentLaunch.Program program = new AgentLaunch.Host(new HostAgent.Found(Path.of("/usr/bin/agent"), Optional.empty()));

        AgentLaunch launch = launch(profile(List.of("~/.agent"), List.of(), Map.of()), program, false, Optional.empty());

        assertEquals(List.of(new Volume(volume.resolve(".agent"), home(".agent"), false)), launch.setup().mounts());
        assertEquals(List.of("/usr/bin/agent"), launch.argv());
    }

    // --- the user's credentials

    @Test
    void anExistingCredentialsFileIsMountedReadOnlyAndTheLoginFoldersStayInTheSandboxsOwnHome() throws IOException {
        Path credentials = Files.createDirectories(home(".claude")).resolve(".credentials.json");
        Files.writeString(credentials, "{}");

        AgentLaunch launch = launch(CLAUDE, cached(), true, Optional.empty());

        assertEquals(List.of(new Volume(cacheDir, Path.of("/run/corral-agents/claude"), true), new Volume(credentials, credentials, true)),
                launch.setup().mounts(), "no folder of the volume other sandboxes share: the file lands in this sandbox's home");
        assertEquals(List.of(), notices);
    }

    @Test
    void aCredentialsFileOutsideTheLoginFoldersIsMountedAtItsPlaceInTheHome() throws IOException {
        Files.writeString(home(".agent-token"), "t");

        AgentLaunch launch = launch(profile(List.of("~/.agent"), List.of("~/.agent-token"), Map.of()), cached(), true, Optional.empty());

        assertEquals(new Volume(home(".agent-token"), home(".agent-token"), true), launch.setup().mounts().getLast());
    }

    @Test
    void aMissingCredentialsFileIsANoticeNotAMount() {
        AgentLaunch launch = launch(CLAUDE, cached(), true, Optional.empty());

        assertEquals(1, launch.setup().mounts().size(), "the install only");
        assertEquals(List.of("--credentials host: " + home(".claude/.credentials.json") + " does not exist; log in on the host first"),
                notices);
    }

    @Test
    void aCredentialsFileThatIsALinkIsNotShared() throws IOException {
        Path secret = Files.writeString(tmp.resolve("elsewhere"), "not the agent's");
        Files.createDirectories(home(".claude"));
        Files.createSymbolicLink(home(".claude/.credentials.json"), secret);

        AgentLaunch launch = launch(CLAUDE, cached(), true, Optional.empty());

        assertEquals(1, launch.setup().mounts().size(), "the install only");
        assertEquals(List.of("--credentials host: " + home(".claude/.credentials.json") + " is a link, not shared; log in on the host first"),
                notices);
    }

    @Test
    void withoutHostCredentialsTheUsersFilesAreLeftAlone() throws IOException {
        Files.writeString(Files.createDirectories(home(".claude")).resolve(".credentials.json"), "{}");

        AgentLaunch launch = claude();

        assertEquals(2, launch.setup().mounts().size());
        assertEquals(List.of(), notices);
    }

    // --- the SSH agent

    @Test
    void theSshAgentsSocketIsMountedAndGitsSshGoesThroughTheProxyWithAWarning() {
        Path socket = tmp.resolve("ssh-agent.sock");

        AgentLaunch launch = launch(CLAUDE, cached(), false, Optional.of(socket));

        assertTrue(launch.setup().mounts().contains(new Volume(socket, Path.of("/run/corral-ssh-agent.sock"), false)));
        Map<String, String> env = launch.setup().environment();
        assertEquals("/run/corral-ssh-agent.sock", env.get("SSH_AUTH_SOCK"));
        assertTrue(env.get("GIT_SSH_COMMAND").startsWith("ssh "), env.get("GIT_SSH_COMMAND"));
        assertTrue(env.get("GIT_SSH_COMMAND").contains("ProxyCommand='socat - PROXY:127.0.0.1:%h:%p,proxyport=" + NetworkAccess.PROXY_PORT + "'"),
                env.get("GIT_SSH_COMMAND"));
        assertEquals(List.of("--ssh-agent: the sandbox can use every key your SSH agent holds until it stops"), notices);
    }

    @Test
    void theLaunchesSetupCannotBeChanged() {
        AgentLaunch launch = claude();

        org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class, () -> launch.setup().mounts().clear());
        org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class, () -> launch.setup().environment().clear());
    }

    // --- network rules

    @Test
    void underTheBalancedPresetTheProfilesHostsAreAllowedAndNamedAfterTheAgent() {
        List<NetworkRule> rules = AgentLaunch.rules(List.of(CLAUDE), NetworkPreset.BALANCED);

        assertEquals(CLAUDE.hosts().size(), rules.size());
        for (NetworkRule rule : rules) {
            assertEquals(NetworkRule.Action.ALLOW, rule.action());
            assertEquals("agent claude", rule.source());
        }
        assertEquals(CLAUDE.hosts(), rules.stream().map(NetworkRule::pattern).toList());
    }

    @ParameterizedTest
    @EnumSource(value = NetworkPreset.class, names = "BALANCED", mode = EnumSource.Mode.EXCLUDE)
    void otherPresetsAddNoRules(NetworkPreset preset) {
        assertEquals(List.of(), AgentLaunch.rules(List.of(CLAUDE), preset));
    }

    @Test
    void aProfilesHostIsAllowedButNotExplicitSoItCannotLeadToAPrivateAddress() {
        NetworkRules rules = new NetworkRules(NetworkPreset.BALANCED, AgentLaunch.rules(List.of(CLAUDE), NetworkPreset.BALANCED));

        NetworkRules.Outcome outcome = rules.decide("api.anthropic.com", 443);

        assertTrue(outcome.allowed());
        assertFalse(outcome.explicit());
        assertEquals("allow api.anthropic.com (agent claude)", outcome.rule());
    }

    @Test
    void theSameHostAllowedByTheUserIsExplicit() {
        NetworkSettings settings = NetworkSettings.DEFAULT.with(
                new NetworkRule(NetworkRule.Action.ALLOW, HostPattern.parse("api.anthropic.com"), NetworkSettings.FROM_RUN));

        NetworkRules rules = NetworkRules.of(settings, AgentLaunch.rules(List.of(CLAUDE), NetworkPreset.BALANCED));

        assertTrue(rules.decide("api.anthropic.com", 443).explicit(), "the user's rule comes before the agent's");
        assertFalse(rules.decide("claude.ai", 443).explicit());
    }

    @Test
    void aUserProfileNamedLikeAUsersSourceIsStillNotExplicit() {
        AgentProfile sneaky = new AgentProfile("config", "d", new AgentProfile.Install(AgentProfile.Registry.NPM, "x"), "x", List.of(),
                Map.of(), List.of(HostPattern.parse("internal.example.com")), Map.of(), List.of(), List.of(), AgentProfile.BUILT_IN);
        NetworkRules rules = new NetworkRules(NetworkPreset.BALANCED, AgentLaunch.rules(List.of(sneaky), NetworkPreset.BALANCED));

        assertFalse(rules.decide("internal.example.com", 443).explicit());
    }

    @Test
    void anAgentsSandboxGetsItsOwnHostsAndAShellEveryAgents() {
        SandboxSpec agent = new SandboxSpec(new SandboxName("claude-project"), "claude", Path.of("/w"), Map.of(), List.of(), Limits.NONE, "native");
        SandboxSpec shell = new SandboxSpec(new SandboxName("shell-project"), "shell", Path.of("/w"), Map.of(), List.of(), Limits.NONE, "native");

        List<NetworkRule> forAgent = AgentLaunch.rulesFor(agent, PROFILES);
        List<NetworkRule> forShell = AgentLaunch.rulesFor(shell, PROFILES);

        assertTrue(forAgent.stream().allMatch(r -> r.source().equals("agent claude")));
        assertEquals(CLAUDE.hosts().size(), forAgent.size());
        assertTrue(forShell.containsAll(forAgent));
        assertTrue(forShell.stream().anyMatch(r -> r.source().equals("agent aider")));
        assertTrue(forShell.stream().anyMatch(r -> r.source().equals("agent kiro")));
        assertEquals(List.of(), AgentLaunch.rulesFor(shell.withNetwork(NetworkSettings.DEFAULT.withPreset(NetworkPreset.DENY_ALL)), PROFILES));
    }

    @Test
    void aLoginFolderThatALinkReplacedIsRefusedRatherThanMounted() throws IOException {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.createDirectories(volume);
        Files.createSymbolicLink(volume.resolve(".claude"), elsewhere);

        dev.corral.agents.AgentException e = org.junit.jupiter.api.Assertions.assertThrows(dev.corral.agents.AgentException.class,
                () -> claude());

        assertTrue(e.getMessage().contains("not into its volume"), e.getMessage());
    }
}
