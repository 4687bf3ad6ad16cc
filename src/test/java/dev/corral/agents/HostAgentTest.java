package dev.corral.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Finding the user's own installation of an agent on their PATH, in temporary folders. */
class HostAgentTest {
    private static final AgentProfile KIRO = SampleProfiles.host("kiro", "kiro-cli");

    @TempDir
    Path tmp;

    private Path home;

    @BeforeEach
    void folders() throws IOException {
        tmp = tmp.toRealPath();
        home = Files.createDirectories(tmp.resolve("home/alice"));
    }

    private static Path executable(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private HostAgent.Found find(AgentProfile profile, String path) {
        return HostAgent.find(profile, Map.of("PATH", path), home);
    }

    private static String path(Path... dirs) {
        return String.join(":", java.util.Arrays.stream(dirs).map(Path::toString).toList());
    }

    @Test
    void theFirstExecutableOnThePathIsFoundAndItsFolderMounted() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty/bin"));
        Path first = executable(tmp.resolve("first/bin/kiro-cli"));
        executable(tmp.resolve("second/bin/kiro-cli"));

        HostAgent.Found found = find(KIRO, "relative/bin::" + tmp.resolve("missing") + ":" + path(empty, first.getParent(), tmp.resolve("second/bin")));

        assertEquals(new HostAgent.Found(first, Optional.of(first.getParent())), found);
    }

    @Test
    void aFileThatIsNotExecutableOrAFolderOfTheNameIsPassedOver() throws IOException {
        Path plain = Files.createDirectories(tmp.resolve("plain/bin")).resolve("kiro-cli");
        Files.writeString(plain, "not executable");
        Files.createDirectories(tmp.resolve("dir/bin/kiro-cli"));
        Path real = executable(tmp.resolve("real/bin/kiro-cli"));

        HostAgent.Found found = find(KIRO, path(plain.getParent(), tmp.resolve("dir/bin"), real.getParent()));

        assertEquals(real, found.executable());
    }

    @Test
    void aLinkIsFollowedToItsPackageWhoseFolderHoldsPackageJson() throws IOException {
        Path pkg = Files.createDirectories(tmp.resolve("npm-global/lib/node_modules/@vendor/agent"));
        Files.writeString(pkg.resolve("package.json"), "{}");
        Path cli = executable(pkg.resolve("dist/cli.js"));
        Path bin = Files.createDirectories(tmp.resolve("npm-global/bin"));
        Files.createSymbolicLink(bin.resolve("kiro-cli"), bin.relativize(cli));

        HostAgent.Found found = find(KIRO, bin.toString());

        assertEquals(cli, found.executable(), "run at its real path");
        assertEquals(Optional.of(pkg), found.mountRoot(), "the whole package, read-only");
    }

    @Test
    void aPythonVirtualEnvironmentIsMountedWhole() throws IOException {
        Path venv = Files.createDirectories(tmp.resolve("tools/aider-venv"));
        Files.writeString(venv.resolve("pyvenv.cfg"), "home = /usr/bin\n");
        Path aider = executable(venv.resolve("bin/aider"));

        HostAgent.Found found = find(SampleProfiles.pypi("aider", "aider-chat"), aider.getParent().toString());

        assertEquals(new HostAgent.Found(aider, Optional.of(venv)), found);
    }

    @Test
    void theSearchForAPackageStopsAtNodeModules() throws IOException {
        Path app = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(app.resolve("package.json"), "{}");
        Path tool = executable(app.resolve("node_modules/.bin/kiro-cli"));

        HostAgent.Found found = find(KIRO, tool.getParent().toString());

        assertEquals(Optional.of(tool.getParent()), found.mountRoot(), "not the project that uses it");
    }

    @Test
    void aProgramOnASystemPathNeedsNoMount() {
        HostAgent.Found found = find(SampleProfiles.host("env", "env"), "/usr/bin:/bin");

        assertTrue(HostAgent.SYSTEM.stream().anyMatch(s -> found.executable().startsWith(s)), found::toString);
        assertEquals(Optional.empty(), found.mountRoot());
    }

    @Test
    void aLinkFromTheHomeIntoASystemFolderNeedsNoMount() throws IOException {
        Path bin = Files.createDirectories(home.resolve(".local/bin"));
        Path env = Path.of("/usr/bin/env").toRealPath();
        Files.createSymbolicLink(bin.resolve("kiro-cli"), env);

        assertEquals(new HostAgent.Found(env, Optional.empty()), find(KIRO, bin.toString()));
    }

    @Test
    void aProgramLyingLooseInTheHomeIsRefused() throws IOException {
        executable(home.resolve("kiro-cli"));

        AgentException e = assertThrows(AgentException.class, () -> find(KIRO, home.toString()));

        assertTrue(e.getMessage().contains("is not in a folder of its own"), e.getMessage());
    }

    @Test
    void aProgramInAFolderAboveTheHomeIsRefused() throws IOException {
        Path tool = executable(tmp.resolve("home/kiro-cli"));

        AgentException e = assertThrows(AgentException.class, () -> find(KIRO, tool.getParent().toString()));

        assertTrue(e.getMessage().startsWith("the host's kiro-cli (" + tool + ") is not in a folder of its own"), e.getMessage());
        assertTrue(e.fix().orElseThrow().contains("--agent-from cache"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", "relative/bin", "/nonexistent/bin"})
    void aHostAgentNotOnThePathIsRefusedWithHowToInstallIt(String path) {
        AgentException e = assertThrows(AgentException.class, () -> find(KIRO, path));

        assertEquals("kiro-cli is not on your PATH", e.getMessage());
        assertEquals("install kiro from the host on the host first, then run corral run kiro --agent-from host", e.fix().orElseThrow());
    }

    @Test
    void anAgentCorralCouldInstallPointsToTheCacheWhenNotOnThePath() {
        AgentException e = assertThrows(AgentException.class,
                () -> HostAgent.find(SampleProfiles.npm("claude", "@anthropic-ai/claude-code"), Map.of(), home));

        assertEquals("claude is not on your PATH", e.getMessage());
        assertEquals("install it, or let Corral install it: --agent-from cache", e.fix().orElseThrow());
    }
}
