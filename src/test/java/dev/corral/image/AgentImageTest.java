package dev.corral.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.agents.AgentCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent's build context: the Dockerfile, and the install where the sandbox sees it, readable by the sandbox's user. */
class AgentImageTest {
    @TempDir
    Path dir;

    @Test
    void dockerfileCopiesTheInstallWhereSandboxesMountIt() {
        String dockerfile = AgentImage.dockerfile("corral/base:bookworm-1a2b", "sha256:abc", "claude", "2.1.0");

        assertTrue(dockerfile.startsWith("# corral/base:bookworm-1a2b\nFROM sha256:abc\n"), dockerfile);
        assertTrue(dockerfile.contains("\nCOPY agent/ " + AgentCache.sandboxDir("claude") + "/\n"), dockerfile);
        assertTrue(dockerfile.contains("dev.corral.image=\"agent\""), dockerfile);
        assertTrue(dockerfile.contains("dev.corral.agent=\"claude\""), dockerfile);
        assertTrue(dockerfile.contains("dev.corral.agent.version=\"2.1.0\""), dockerfile);
        assertTrue(dockerfile.contains("dev.corral.base=\"sha256:abc\""), dockerfile);
    }

    @Test
    void versionWithBuildMetadataMakesAValidTag() {
        assertEquals("corral/agent-aider:0.86.1", AgentImage.reference("aider", "0.86.1"));
        assertEquals("corral/agent-x:1.0.0_build.5", AgentImage.reference("x", "1.0.0+build.5"));
    }

    @Test
    void contextHoldsTheInstallReadableByAllWithLinksKept() throws IOException, InterruptedException {
        Path install = Files.createDirectories(dir.resolve("cache/claude/2.1.0"));
        Path bin = Files.createDirectories(install.resolve("node_modules/pkg/bin"));
        Files.writeString(bin.resolve("cli.js"), "#!/usr/bin/env node\n");
        Files.setPosixFilePermissions(bin.resolve("cli.js"), PosixFilePermissions.fromString("rwx------"));
        Files.writeString(install.resolve("package.json"), "{}");
        Files.setPosixFilePermissions(install.resolve("package.json"), PosixFilePermissions.fromString("rw-------"));
        Files.createDirectories(install.resolve("node_modules/.bin"));
        Files.createSymbolicLink(install.resolve("node_modules/.bin/cli"), Path.of("../pkg/bin/cli.js"));
        Files.createLink(bin.resolve("cli-copy.js"), bin.resolve("cli.js"));
        AgentCache.Installed installed = new AgentCache.Installed("claude", "2.1.0", "pkg", install, Instant.EPOCH);

        Path context = dir.resolve("context.tar");
        AgentImage.writeContext(context, "corral/base:x", "sha256:abc", installed);
        List<String> listing = TarWriterTest.run("tar", "-tvf", context.toString()).lines().toList();

        assertTrue(listing.getFirst().matches("-rw-r--r-- root/root .* Dockerfile"), listing.toString());
        // in name order cli-copy.js comes first: it holds the content, cli.js links to it
        assertTrue(listing.stream().anyMatch(l -> l.matches("-rwxr-xr-x root/root .* agent/node_modules/pkg/bin/cli-copy.js")), listing.toString());
        assertTrue(listing.stream().anyMatch(l -> l.matches("-rw-r--r-- root/root .* agent/package.json")), listing.toString());
        assertTrue(listing.stream().anyMatch(l -> l.endsWith("agent/node_modules/.bin/cli -> ../pkg/bin/cli.js")), listing.toString());
        assertTrue(listing.stream().anyMatch(l -> l.matches("hrwxr-xr-x root/root .* agent/node_modules/pkg/bin/cli.js link to "
                + "agent/node_modules/pkg/bin/cli-copy.js")), listing.toString());
        assertTrue(listing.stream().anyMatch(l -> l.matches("drwxr-xr-x root/root .* agent/node_modules/")), listing.toString());
    }

    @Test
    void refusesWhatIsNeitherFileFolderNorLink() throws IOException, InterruptedException {
        Path install = Files.createDirectories(dir.resolve("install"));
        TarWriterTest.run("mkfifo", install.resolve("pipe").toString());
        AgentCache.Installed installed = new AgentCache.Installed("claude", "2.1.0", "pkg", install, Instant.EPOCH);

        ImageException e = assertThrows(ImageException.class,
                () -> AgentImage.writeContext(dir.resolve("context.tar"), "corral/base:x", "sha256:abc", installed));
        assertTrue(e.getMessage().contains(install.resolve("pipe").toString()), e.getMessage());
    }
}
