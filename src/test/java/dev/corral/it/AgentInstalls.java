package dev.corral.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where integration tests keep the agents they install from the registries, between runs: the
 * real packages are hundreds of megabytes. {@code CORRAL_IT_AGENT_CACHE} names it (CI keeps it);
 * by default a folder under {@code /var/tmp}.
 */
final class AgentInstalls {
    private AgentInstalls() {
    }

    static Path cache() {
        String configured = System.getenv("CORRAL_IT_AGENT_CACHE");
        Path dir = configured != null && !configured.isBlank() ? Path.of(configured) : Path.of("/var/tmp/corral-it-agents");
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the harness user's config: the shared cache, then {@code more} (other tables). */
    static void configure(CorralHarness corral, String more) {
        try {
            Path config = corral.home().resolve(".config/corral/config.toml");
            Files.createDirectories(config.getParent());
            // after what the harness wrote (a Docker harness's backend line)
            Files.writeString(config, more + "\n[agents]\ncache-dir = \"" + cache() + "\"\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            corral.chownTree(corral.home());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
