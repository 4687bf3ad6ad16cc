package dev.corral.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.policy.HostPattern;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading agent profiles strictly: Corral's own load with sensible content, a broken one is refused at its line. */
class ProfileParserTest {
    private static final String SOURCE = "/home/alice/.config/corral/agents/test-agent.toml";

    /** A valid profile using every table; the cases below change one line of it (1-based). */
    private static final List<String> VALID = List.of(
            "format = 1",                                   // 1
            "description = \"Test agent\"",                 // 2
            "[install]",                                    // 3
            "from = \"npm\"",                               // 4
            "package = \"@scope/test-agent\"",              // 5
            "[run]",                                        // 6
            "command = \"test-agent\"",                     // 7
            "autonomy = [\"--yes\", \"--no-ask\"]",         // 8
            "[environment]",                                // 9
            "AGENT_HOME = \"~/.agent\"",                    // 10
            "[network]",                                    // 11
            "hosts = [\"api.example.com\", \"*.example.org:443\"]", // 12
            "[secrets]",                                    // 13
            "anthropic = [\"AGENT_API_KEY\"]",             // 14
            "[files]",                                      // 15
            "login = [\"~/.agent\", \"~/.config/agent\"]",  // 16
            "host-credentials = [\"~/.agent/auth.json\"]"); // 17

    static final List<String> BUILT_IN = AgentProfiles.BUILT_IN;

    private static AgentProfile parse(List<String> lines) {
        return ProfileParser.parse("test-agent", SOURCE, String.join("\n", lines));
    }

    private static List<String> replacing(int line, String text) {
        List<String> lines = new ArrayList<>(VALID);
        lines.set(line - 1, text);
        return lines;
    }

    /** Asserts that the profile is refused naming its source and the line, and that the message says why. */
    private static AgentException refused(int line, String words, List<String> lines) {
        AgentException e = assertThrows(AgentException.class, () -> parse(lines));
        assertTrue(e.getMessage().startsWith("agent profile " + SOURCE + ":" + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(words), e.getMessage());
        assertTrue(e.fix().orElseThrow().contains("fix the profile"), e.fix()::toString);
        return e;
    }

    static AgentProfile builtIn(String name) {
        try (InputStream in = ProfileParserTest.class.getResourceAsStream("/dev/corral/agents/" + name + ".toml")) {
            if (in == null) throw new AssertionError(name + ".toml is missing from the resources");
            return ProfileParser.parse(name, "corral:agents/" + name + ".toml", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    // --- a valid profile

    @Test
    void aValidProfileIsReadIntoEveryField() {
        AgentProfile profile = parse(VALID);

        assertEquals("test-agent", profile.name());
        assertEquals("Test agent", profile.description());
        assertEquals(new AgentProfile.Install(AgentProfile.Registry.NPM, "@scope/test-agent"), profile.install());
        assertEquals("test-agent", profile.command());
        assertEquals(List.of("--yes", "--no-ask"), profile.autonomy());
        assertEquals(Map.of("AGENT_HOME", "~/.agent"), profile.environment(), "~/ is expanded at launch, not here");
        assertEquals(List.of(HostPattern.parse("api.example.com"), HostPattern.parse("*.example.org:443")), profile.hosts());
        assertEquals(Map.of("anthropic", List.of("AGENT_API_KEY")), profile.secrets());
        assertEquals(List.of("~/.agent", "~/.config/agent"), profile.login());
        assertEquals(List.of("~/.agent/auth.json"), profile.credentials());
        assertEquals(SOURCE, profile.source());
    }

    @Test
    void onlyTheFormatTheInstallAndTheCommandAreRequired() {
        AgentProfile profile = parse(List.of("format = 1", "[install]", "from = \"pypi\"", "package = \"tool\"", "[run]", "command = \"tool\""));

        assertEquals("test-agent", profile.description(), "the name stands in for a missing description");
        assertEquals(new AgentProfile.Install(AgentProfile.Registry.PYPI, "tool"), profile.install());
        assertEquals(List.of(), profile.autonomy());
        assertEquals(Map.of(), profile.environment());
        assertEquals(List.of(), profile.hosts());
        assertEquals(Map.of(), profile.secrets());
        assertEquals(List.of(), profile.login());
        assertEquals(List.of(), profile.credentials());
    }

    @Test
    void anAgentFromTheHostHasAnEmptyPackage() {
        List<String> lines = replacing(4, "from = \"host\"");
        lines.set(4, "# no package");

        AgentProfile profile = parse(lines);

        assertEquals(new AgentProfile.Install(AgentProfile.Registry.HOST, ""), profile.install());
        assertEquals("host PATH", profile.install().describe());
    }

    @Test
    void windowsLineEndingsCommentsAndTablesInAnyOrderAreFine() {
        String text = "# my agent\r\nformat = 1 # the only one\r\n[run]\r\ncommand = \"test-agent\"\r\n"
                + "[install]\r\nfrom = \"npm\"\r\npackage = \"test-agent\"\r\n[environment]\r\n";

        AgentProfile profile = ProfileParser.parse("test-agent", SOURCE, text);

        assertEquals("test-agent", profile.command());
        assertEquals("npm test-agent", profile.install().describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "my-agent", "agent2", "0", "abcdefghijklmnopqrstuvwxyz01234"})
    void plainFileNamesAreAccepted(String name) {
        assertEquals(name, ProfileParser.parse(name, SOURCE, String.join("\n", VALID)).name());
    }

    // --- Corral's own profiles

    @ParameterizedTest
    @FieldSource("BUILT_IN")
    void everyBuiltInProfileLoadsWithItsName(String name) {
        AgentProfile profile = builtIn(name);

        assertEquals(name, profile.name());
        assertFalse(profile.description().equals(name), "a real description");
        assertEquals("corral:agents/" + name + ".toml", profile.source());
        assertFalse(profile.hosts().isEmpty(), "an agent needs its API");
        assertTrue(profile.secrets().containsKey("github"), profile.secrets()::toString);
        assertFalse(profile.login().isEmpty(), "the login persists in the agent's volume");
    }

    @ParameterizedTest
    @CsvSource({
            "claude,   NPM,  @anthropic-ai/claude-code, claude,   --dangerously-skip-permissions",
            "codex,    NPM,  @openai/codex,             codex,    --dangerously-bypass-approvals-and-sandbox",
            "gemini,   NPM,  @google/gemini-cli,        gemini,   --approval-mode=yolo",
            "copilot,  NPM,  @github/copilot,           copilot,  --allow-all",
            "aider,    PYPI, aider-chat,                aider,    --yes-always",
            "kiro,     HOST, '',                        kiro-cli, --trust-all-tools",
    })
    void builtInProfilesInstallTheNamedPackageAndStartInFullAutonomy(String name, AgentProfile.Registry registry, String pkg,
                                                                     String command, String autonomy) {
        AgentProfile profile = builtIn(name);

        assertEquals(new AgentProfile.Install(registry, pkg), profile.install());
        assertEquals(command, profile.command());
        assertTrue(profile.autonomy().contains(autonomy), profile.autonomy()::toString);
    }

    @Test
    void openCodeGetsItsAutonomyFromItsEnvironment() {
        AgentProfile profile = builtIn("opencode");

        assertEquals(new AgentProfile.Install(AgentProfile.Registry.NPM, "opencode-ai"), profile.install());
        assertEquals(List.of(), profile.autonomy());
        assertEquals("{\"edit\":\"allow\",\"bash\":\"allow\",\"webfetch\":\"allow\"}", profile.environment().get("OPENCODE_PERMISSION"));
    }

    @Test
    void claudeKeepsItsConfigurationInItsLoginFolderAndReachesAnthropic() {
        AgentProfile profile = builtIn("claude");

        assertEquals("~/.claude", profile.environment().get("CLAUDE_CONFIG_DIR"));
        assertEquals("1", profile.environment().get("IS_SANDBOX"));
        assertEquals("1", profile.environment().get("DISABLE_AUTOUPDATER"));
        assertTrue(profile.hosts().contains(HostPattern.parse("api.anthropic.com")));
        assertEquals(List.of("~/.claude"), profile.login());
        assertEquals(List.of("~/.claude/.credentials.json"), profile.credentials());
        assertEquals(Map.of("anthropic", List.of(), "github", List.of()), profile.secrets());
    }

    @ParameterizedTest
    @FieldSource("BUILT_IN")
    void builtInCredentialFilesAndHomeVariablesLieInALoginFolder(String name) {
        AgentProfile profile = builtIn(name);
        List<String> underHome = new ArrayList<>(profile.credentials());
        profile.environment().values().stream().filter(v -> v.startsWith("~/")).forEach(underHome::add);

        for (String path : underHome) {
            assertTrue(profile.login().stream().anyMatch(login -> path.equals(login) || path.startsWith(login + "/")),
                    path + " is kept in the agent's volume");
        }
    }

    @ParameterizedTest
    @FieldSource("BUILT_IN")
    void builtInHostsAreExactNamesOrNarrowWildcards(String name) {
        for (HostPattern host : builtIn(name).hosts()) {
            assertTrue(!host.wildcard() || host.host().split("\\.").length >= 2, host::toString);
            assertTrue(host.port().isEmpty(), host::toString);
        }
    }

    // --- broken profiles

    @ParameterizedTest(name = "line {0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // the format
            "1 |# no format                  |1 |the first key must be 'format = 1'",
            "1 |format = 2                   |1 |profile format 2 is not known to this Corral (it reads format 1)",
            "1 |format = 0                   |1 |profile format 0 is not known",
            "1 |format = \"1\"               |1 |format must be a whole number",
            // tables and keys
            "11|[net]                        |11|unknown table [net]",
            "11|[]                           |11|unknown table []",
            "11|[network.extra]              |11|unknown table [network.extra]",
            "8 |autonomous = [\"--yes\"]     |8 |unknown key 'autonomous' in [run]",
            "2 |name = \"Test\"              |2 |unknown key 'name' before the first table",
            "17|credentials = [\"~/.a\"]     |17|unknown key 'credentials' in [files]",
            "8 |command = \"other\"          |8 |'command' is given twice",
            "2 |format = 1                   |2 |'format' is given twice",
            // the install
            "4 |from = \"brew\"              |4 |from = \"brew\" is not known (use \"npm\", \"pypi\" or \"host\")",
            "4 |from = \"NPM\"               |4 |from = \"NPM\" is not known",
            "4 |from = npm                   |4 |from must be a double-quoted string",
            "4 |# no from                    |1 |[install] from is missing",
            "5 |# no package                 |1 |[install] package is missing",
            "5 |package = \"pkg; rm -rf ~\"  |5 |package 'pkg; rm -rf ~' is not a plain package name",
            "5 |package = \"../pkg\"         |5 |is not a plain package name",
            "5 |package = \"pkg@1.0\"        |5 |is not a plain package name",
            "5 |package = \"@Scope/pkg\"     |5 |is not a plain package name",
            "5 |package = \"@scope/\"        |5 |is not a plain package name",
            "5 |package = \"-pkg\"           |5 |is not a plain package name",
            "5 |package = \"\"               |5 |is not a plain package name",
            // the command
            "7 |# no command                 |1 |[run] command is missing",
            "7 |command = \"/usr/bin/agent\" |7 |command '/usr/bin/agent' must be a program name, not a path",
            "7 |command = \"bin/agent\"      |7 |must be a program name, not a path",
            "7 |command = \"..\"             |7 |must be a program name, not a path",
            "7 |command = \"-agent\"         |7 |must be a program name, not a path",
            "7 |command = \"agent --flag\"   |7 |must be a program name, not a path",
            "7 |command = \"\"               |7 |must be a program name, not a path",
            "8 |autonomy = \"--yes\"         |8 |autonomy must be a list of strings",
            // the environment
            "10|PATH = \"/evil\"             |10|environment variable 'PATH' can't be set by a profile",
            "10|LD_PRELOAD = \"/evil.so\"    |10|environment variable 'LD_PRELOAD' can't be set by a profile",
            "10|LD_LIBRARY_PATH = \"/evil\"  |10|environment variable 'LD_LIBRARY_PATH' can't be set",
            "10|HTTPS_PROXY = \"http://x\"   |10|environment variable 'HTTPS_PROXY' can't be set",
            "10|https_proxy = \"http://x\"   |10|environment variable 'https_proxy' can't be set",
            "10|NO_PROXY = \"*\"             |10|environment variable 'NO_PROXY' can't be set",
            "10|HOME = \"/root\"             |10|environment variable 'HOME' can't be set",
            "10|CORRAL_SANDBOX = \"x\"       |10|environment variable 'CORRAL_SANDBOX' can't be set",
            "10|1ABC = \"x\"                 |10|environment variable '1ABC' can't be set",
            "10|A-B = \"x\"                  |10|environment variable 'A-B' can't be set",
            "10|\"A B\" = \"x\"              |10|environment variable 'A B' can't be set",
            "10|AGENT_HOME = 1               |10|AGENT_HOME must be a double-quoted string",
            // the network
            "12|hosts = [\"*\"]              |12|the pattern '*' matches every host",
            "12|hosts = [\"a.example.com\", \"*.com\"]|12|the pattern '*.com' is too broad",
            "12|hosts = [\"bad host\"]       |12|invalid host pattern 'bad host'",
            "12|hosts = [\"api.*.example.com\"]|12|'*' is only allowed as the whole first label",
            "12|hosts = [\"*.github.io\"]  |12|names under github.io belong to many different owners",
            "12|hosts = \"api.example.com\"  |12|hosts must be a list of strings",
            // the secrets
            "14|Anthropic = []               |14|secret name 'Anthropic' is not valid",
            "14|\"../x\" = []                |14|secret name '../x' is not valid",
            "14|\"a b\" = []                 |14|secret name 'a b' is not valid",
            "14|\"\" = []                    |14|secret name '' is not valid",
            "14|anthropic = [\"PATH\"]       |14|environment variable 'PATH' can't carry a secret",
            "14|anthropic = [\"LD_PRELOAD\"] |14|environment variable 'LD_PRELOAD' can't carry a secret",
            "14|anthropic = [\"HTTPS_PROXY\"]|14|environment variable 'HTTPS_PROXY' can't carry a secret",
            "14|anthropic = [\"A-KEY\"]      |14|environment variable 'A-KEY' can't carry a secret",
            "14|anthropic = \"AGENT_API_KEY\"|14|anthropic must be a list of strings",
            // a syntax error keeps its line
            "7 |command = \"test-agent       |7 |unterminated string",
            "9 |[environment                 |9 |a table header needs its closing ']'",
            "13|secrets                      |13|expected key = value",
    })
    void aBrokenProfileIsRefusedAtItsLine(int line, String text, int reportedLine, String words) {
        refused(reportedLine, words, replacing(line, text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"~/../x", "/etc/x", "~/", "~/a/../b", "~/./a", "~/.", "~/..", "~/a/", "~/a//b", ".agent",
            "~root/x", "~/a b", "~/$HOME", "x/~/a", "~/a/.."})
    void aLoginFolderOutsideTheHomeIsRefused(String path) {
        refused(16, "'" + path + "' must be a path under the home such as ~/.config/agent", replacing(16, "login = [\"~/.ok\", \"" + path + "\"]"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"~/../.ssh/id_rsa", "/etc/shadow", "~/", "~/a/../../b", "~/./a"})
    void aCredentialFileOutsideTheHomeIsRefused(String path) {
        refused(17, "must be a path under the home", replacing(17, "host-credentials = [\"" + path + "\"]"));
    }

    @Test
    void aHomePathListedTwiceIsRefused() {
        refused(16, "'~/.agent' is listed twice", replacing(16, "login = [\"~/.agent\", \"~/.other\", \"~/.agent\"]"));
        refused(17, "'~/.a/b' is listed twice", replacing(17, "host-credentials = [\"~/.a/b\", \"~/.a/b\"]"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"~/...", "~/.a-b_c/d.e", "~/.local/share/agent"})
    void homePathsWithDotsInTheirNamesAreFine(String path) {
        assertEquals(List.of(path), parse(replacing(16, "login = [\"" + path + "\"]")).login());
    }

    @Test
    void eachSecretCarriesItsExtraVariablesInTheOrderWritten() {
        List<String> lines = new ArrayList<>(VALID);
        lines.add(14, "github = []");
        lines.add(15, "openai = [\"OPENAI_KEY\", \"OTHER_KEY\"]");

        AgentProfile profile = parse(lines);

        assertEquals(List.of("anthropic", "github", "openai"), List.copyOf(profile.secrets().keySet()));
        assertEquals(List.of("OPENAI_KEY", "OTHER_KEY"), profile.secrets().get("openai"));
        assertEquals(List.of(), profile.secrets().get("github"));
    }

    @Test
    void aSecretGivenTwiceIsRefused() {
        List<String> lines = new ArrayList<>(VALID);
        lines.add(14, "anthropic = []");

        refused(15, "'anthropic' is given twice", lines);
    }

    @Test
    void builtInProfilesCarrySecretsInTheVariablesTheirAgentsRead() {
        assertEquals(List.of("CODEX_API_KEY"), builtIn("codex").secrets().get("openai"));
        assertEquals(List.of("COPILOT_GITHUB_TOKEN"), builtIn("copilot").secrets().get("github"));
        assertEquals(List.of("GOOGLE_GENERATIVE_AI_API_KEY"), builtIn("opencode").secrets().get("google"));
        assertEquals(List.of(), builtIn("claude").secrets().get("anthropic"));
    }

    @Test
    void aPackageOnAnAgentFromTheHostIsRefused() {
        refused(5, "an agent from the host has no package", replacing(4, "from = \"host\""));
    }

    @Test
    void aListSpreadOverSeveralLinesIsRefusedAtItsSecondLine() {
        List<String> lines = replacing(12, "hosts = [\"api.example.com\",");
        lines.add(12, "\"other.example.com\"]");

        refused(13, "expected key = value", lines);
    }

    @Test
    void anEnvironmentValueWithANulCharacterIsRefused() {
        AgentException e = assertThrows(AgentException.class, () -> parse(replacing(10, "AGENT_HOME = \"a\0b\"")));

        assertTrue(e.getMessage().startsWith("agent profile " + SOURCE + ":"), e.getMessage());
        assertTrue(e.getMessage().contains("holds a NUL character"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Claude", "my agent", "../x", "-agent", "", "a/b", "agent.toml", "abcdefghijklmnopqrstuvwxyz012345"})
    void aProfileWhoseFileNameIsNotPlainIsRefusedWithTheName(String name) {
        AgentException e = assertThrows(AgentException.class, () -> ProfileParser.parse(name, SOURCE, String.join("\n", VALID)));

        assertEquals("agent profile " + SOURCE + " has an invalid name '" + name + "'", e.getMessage());
        assertTrue(e.fix().orElseThrow().contains("lower-case letters, digits and '-'"));
    }

    @Test
    void theTemplateHasTheLinesTheCasesNumber() {
        // guards the line numbers the cases above rely on
        assertEquals(17, VALID.size());
        assertEquals("[environment]", VALID.get(8));
        assertEquals(Arrays.asList("[install]", "[run]", "[environment]", "[network]", "[secrets]", "[files]"),
                VALID.stream().filter(l -> l.startsWith("[")).toList());
    }

    @Test
    void aLoginFolderInsideAnotherIsRefusedForTheAgentCouldSwapItForALink() {
        refused(16, "'~/.agent/sub' is inside '~/.agent'", replacing(16, "login = [\"~/.agent\", \"~/.agent/sub\"]"));
    }
}
