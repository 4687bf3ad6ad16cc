package dev.corral.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Corral's own profiles and the user's, from a temporary profile folder. */
class AgentProfilesTest {
    @TempDir
    Path tmp;

    private Path userDir;
    private AgentProfiles profiles;

    @BeforeEach
    void folder() {
        userDir = AgentProfiles.userDir(tmp.resolve("config"));
        profiles = new AgentProfiles(userDir);
    }

    private static String profile(String command, String pkg) {
        return String.join("\n", "format = 1", "description = \"" + command + " of the user\"", "[install]", "from = \"npm\"",
                "package = \"" + pkg + "\"", "[run]", "command = \"" + command + "\"");
    }

    private Path write(String name, String text) throws IOException {
        Files.createDirectories(userDir);
        return Files.writeString(userDir.resolve(name + ".toml"), text);
    }

    @Test
    void theUsersProfileFolderIsAgentsInTheConfigFolder() {
        assertEquals(Path.of("/home/alice/.config/corral/agents"), AgentProfiles.userDir(Path.of("/home/alice/.config/corral")));
    }

    @Test
    void withoutAProfileFolderCorralsOwnAgentsAreKnown() {
        assertEquals(java.util.Set.copyOf(AgentProfiles.BUILT_IN), profiles.all().keySet());
        assertEquals("corral:agents/claude.toml", profiles.get("claude").source());
    }

    @Test
    void namesListCorralsAgentsThenTheUsersThenShellLast() throws IOException {
        write("zed", profile("zed", "zed-agent"));
        write("alpha", profile("alpha", "alpha-agent"));
        write("claude", profile("my-claude", "my-claude"));

        List<String> expected = new java.util.ArrayList<>(AgentProfiles.BUILT_IN);
        expected.addAll(List.of("alpha", "zed", AgentProfiles.SHELL));
        assertEquals(expected, profiles.names());
        assertEquals(AgentProfiles.SHELL, profiles.names().getLast());
    }

    @Test
    void namesEndWithShellWithoutAProfileFolder() {
        List<String> names = profiles.names();

        assertEquals(AgentProfiles.BUILT_IN.size() + 1, names.size());
        assertEquals(AgentProfiles.SHELL, names.getLast());
    }

    @Test
    void aUserProfileAddsANewAgent() throws IOException {
        Path file = write("my-agent", profile("my-agent", "@me/my-agent"));

        AgentProfile agent = profiles.get("my-agent");

        assertEquals("my-agent", agent.name());
        assertEquals("npm @me/my-agent", agent.install().describe());
        assertEquals(file.toString(), agent.source());
        assertEquals(agent, profiles.all().get("my-agent"));
        assertTrue(profiles.names().contains("my-agent"));
    }

    @Test
    void aUserProfileReplacesCorralsOfTheSameName() throws IOException {
        Path file = write("claude", profile("claude-nightly", "@me/claude-fork"));

        AgentProfile claude = profiles.get("claude");

        assertEquals("claude-nightly", claude.command());
        assertEquals(file.toString(), claude.source());
        assertEquals(claude, profiles.all().get("claude"));
        assertEquals(1, profiles.names().stream().filter("claude"::equals).count());
        assertEquals("corral:agents/codex.toml", profiles.get("codex").source(), "the others stay Corral's");
    }

    @Test
    void filesThatAreNotTomlAreIgnored() throws IOException {
        write("my-agent", profile("my-agent", "my-agent"));
        Files.writeString(userDir.resolve("notes.txt"), "not a profile");
        Files.writeString(userDir.resolve("other.toml.bak"), "format = 2");

        assertEquals(AgentProfiles.BUILT_IN.size() + 1, profiles.all().size());
        assertFalse(profiles.names().contains("notes"));
    }

    @Test
    void anUnknownAgentIsRefusedNamingTheKnownOnesAndTheUsersProfileFolder() throws IOException {
        write("my-agent", profile("my-agent", "my-agent"));

        AgentException e = assertThrows(AgentException.class, () -> profiles.get("nope"));

        assertEquals("unknown agent 'nope'", e.getMessage());
        String fix = e.fix().orElseThrow();
        assertTrue(fix.contains("claude, codex, gemini, opencode, copilot, kiro, aider, my-agent, shell"), fix);
        assertTrue(fix.contains(userDir.resolve("nope.toml").toString()), fix);
        assertTrue(fix.contains("corral run -- CMD"), fix);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "Claude", "CLAUDE", "claude.toml", "my agent", "", "/etc/passwd", "-x", "a/b"})
    void aNameThatIsNotPlainIsUnknownEvenIfAFileCouldMatchIt(String name) throws IOException {
        Files.createDirectories(tmp.resolve("config"));
        Files.writeString(tmp.resolve("config/x.toml"), profile("x", "x"));

        AgentException e = assertThrows(AgentException.class, () -> profiles.get(name));

        assertEquals("unknown agent '" + name + "'", e.getMessage());
    }

    @Test
    void shellHasNoProfile() {
        assertThrows(IllegalArgumentException.class, () -> profiles.get(AgentProfiles.SHELL));
    }

    @Test
    void aBrokenUserProfileBreaksAllAndGetWithItsPath() throws IOException {
        Path file = write("broken", String.join("\n", "format = 1", "[install]", "from = \"brew\""));

        AgentException all = assertThrows(AgentException.class, profiles::all);
        AgentException get = assertThrows(AgentException.class, () -> profiles.get("broken"));

        for (AgentException e : List.of(all, get)) {
            assertTrue(e.getMessage().startsWith("agent profile " + file + ":3: "), e.getMessage());
        }
        assertEquals("claude", profiles.get("claude").name(), "the other agents still load one by one");
    }

    @Test
    void aBrokenUserProfileOverridingABuiltInOneIsNotReplacedByCorrals() throws IOException {
        Path file = write("claude", "format = 7");

        AgentException e = assertThrows(AgentException.class, () -> profiles.get("claude"));

        assertTrue(e.getMessage().startsWith("agent profile " + file + ":1: profile format 7"), e.getMessage());
    }

    @Test
    void aProfileThatIsAFolderIsAnErrorNamingIt() throws IOException {
        Files.createDirectories(userDir.resolve("odd.toml"));

        AgentException e = assertThrows(AgentException.class, () -> profiles.get("odd"));

        assertTrue(e.getMessage().startsWith("cannot read agent profile " + userDir.resolve("odd.toml")), e.getMessage());
    }

    @Test
    void everyProfileIsLoadedWithItsName() {
        Map<String, AgentProfile> all = profiles.all();

        all.forEach((name, profile) -> assertEquals(name, profile.name()));
    }
}
