package dev.corral.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading the version a finished install holds from what its package manager wrote, trusting none of it. */
class InstalledVersionTest {
    private static final AgentProfile CLAUDE = SampleProfiles.npm("claude", "@anthropic-ai/claude-code");
    private static final AgentProfile AIDER = SampleProfiles.pypi("aider", "aider-chat");

    @TempDir
    Path pkg;

    private void packageJson(String json) throws IOException {
        Path dir = Files.createDirectories(pkg.resolve("node_modules/@anthropic-ai/claude-code"));
        Files.writeString(dir.resolve("package.json"), json);
    }

    private void distInfo(String python, String name) throws IOException {
        Files.createDirectories(pkg.resolve("lib").resolve(python).resolve("site-packages").resolve(name));
    }

    @Test
    void npmsVersionIsTheOneInThePackagesPackageJson() throws IOException {
        packageJson("{\"name\": \"@anthropic-ai/claude-code\", \"version\": \"2.0.14\", \"bin\": {\"claude\": \"cli.js\"}}");

        assertEquals(Optional.of("2.0.14"), InstalledVersion.of(CLAUDE, pkg));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"version\": \"../../etc\"}", "{\"version\": \"1.0 beta\"}", "{\"version\": 2}", "{\"version\": \"\"}",
            "{\"name\": \"x\"}", "[\"1.0.0\"]", "not json", "", "{\"version\": \"1.0.0/..\"}"})
    void anUnsafeOrMissingNpmVersionIsNoVersion(String json) throws IOException {
        packageJson(json);

        assertEquals(Optional.empty(), InstalledVersion.of(CLAUDE, pkg));
    }

    @Test
    void aPackageJsonThatIsALinkIsNotFollowed() throws IOException {
        Path elsewhere = Files.writeString(pkg.resolve("elsewhere.json"), "{\"version\": \"6.6.6\"}");
        Path dir = Files.createDirectories(pkg.resolve("node_modules/@anthropic-ai/claude-code"));
        Files.createSymbolicLink(dir.resolve("package.json"), elsewhere);

        assertEquals(Optional.empty(), InstalledVersion.of(CLAUDE, pkg));
    }

    @Test
    void anOversizedPackageJsonIsNotRead() throws IOException {
        packageJson("{\"version\": \"1.0.0\", \"padding\": \"" + "x".repeat(1 << 20) + "\"}");

        assertEquals(Optional.empty(), InstalledVersion.of(CLAUDE, pkg));
    }

    @Test
    void anotherPackagesPackageJsonDoesNotCount() throws IOException {
        Path dir = Files.createDirectories(pkg.resolve("node_modules/other"));
        Files.writeString(dir.resolve("package.json"), "{\"version\": \"1.0.0\"}");
        Files.writeString(pkg.resolve("package.json"), "{\"version\": \"1.0.0\"}");

        assertEquals(Optional.empty(), InstalledVersion.of(CLAUDE, pkg));
    }

    @Test
    void pypisVersionIsInTheNameOfThePackagesDistInfoFolder() throws IOException {
        distInfo("python3.12", "aider_chat-0.86.1.dist-info");
        distInfo("python3.12", "requests-2.32.3.dist-info");

        assertEquals(Optional.of("0.86.1"), InstalledVersion.of(AIDER, pkg));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Aider_Chat-0.86.1.dist-info", "aider_chat-0.86.1.dist-info"})
    void theDistInfoNameIsMatchedWithoutMindingCase(String name) throws IOException {
        distInfo("python3.11", name);

        assertEquals(Optional.of("0.86.1"), InstalledVersion.of(AIDER, pkg));
    }

    @Test
    void aPackageWhoseNameStartsTheSameIsNotTakenForIt() throws IOException {
        distInfo("python3.12", "aider_chat_extras-1.0.dist-info");

        assertEquals(Optional.empty(), InstalledVersion.of(AIDER, pkg));
    }

    @Test
    void anUnsafeDistInfoVersionIsSkipped() throws IOException {
        distInfo("python3.12", "aider_chat-1 0.dist-info");

        assertEquals(Optional.empty(), InstalledVersion.of(AIDER, pkg));
    }

    @Test
    void aFolderThatIsNotPythonsIsNotSearched() throws IOException {
        distInfo("node", "aider_chat-0.86.1.dist-info");

        assertEquals(Optional.empty(), InstalledVersion.of(AIDER, pkg));
    }

    @Test
    void missingFilesMeanNoVersion() throws IOException {
        assertEquals(Optional.empty(), InstalledVersion.of(CLAUDE, pkg));
        assertEquals(Optional.empty(), InstalledVersion.of(AIDER, pkg));
        Files.createDirectories(pkg.resolve("lib/python3.12"));
        assertEquals(Optional.empty(), InstalledVersion.of(AIDER, pkg), "no site-packages");
        assertEquals(Optional.empty(), InstalledVersion.of(CLAUDE, pkg.resolve("does-not-exist")));
    }

    @Test
    void anAgentFromTheHostHasNoInstalledVersion() {
        assertEquals(Optional.empty(), InstalledVersion.of(SampleProfiles.host("kiro", "kiro-cli"), pkg));
    }
}
