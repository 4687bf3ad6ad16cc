package dev.corral.cli;

import dev.corral.agents.AgentCache;
import dev.corral.host.Identity;
import dev.corral.sandbox.CorralPaths;
import dev.corral.secrets.SecretStore;
import dev.corral.secrets.ServiceCatalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The training run that fills the JDK's AOT cache ({@code -XX:AOTCacheOutput}, run by the
 * launcher in a throwaway home): the paths of a first and a repeated {@code run}, of an agent's run
 * with a secret (profiles, the secret store, the CA), a branch sandbox's, a Docker sandbox's, the listing commands, the help and an error,
 * so the classes they load are ready at the next start.
 */
final class Training {
    /** An agent from the host's PATH: the agent path of {@code run} without an install. */
    private static final String PROFILE = """
            format = 1
            [install]
            from = "host"
            [run]
            command = "true"
            [environment]
            TRAINEE_HOME = "~/.trainee"
            [network]
            hosts = ["api.trainee.example.com"]
            [secrets]
            trainee = ["TRAINEE_KEY"]
            [files]
            login = ["~/.trainee"]
            """;

    private Training() {
    }

    static boolean requested() {
        return Boolean.getBoolean("corral.training");
    }

    static int run() {
        // first without any secret (most users' runs), then an agent's runs and a shell's with one
        for (List<String> args : List.of(
                List.of("run", "--", "/bin/true"),
                List.of("run", "--memory", "512m", "--", "/bin/true"),
                List.of("run", "--", "/bin/sh", "-c", "exit 3"),
                List.of("ls"), List.of("ls", "--json"), List.of("version"), List.of("--help"),
                List.of("run", "--memory", "12x", "--", "/bin/true"),
                List.of("run", "no-such-agent"),
                List.of("no-such-command"))) {
            Main.execute(args);
        }
        prepareAgent();
        for (List<String> args : List.of(
                List.of("run", "trainee", "--", "--version"),
                List.of("run", "trainee", "--", "--version"),
                List.of("run", "trainee-npm", "--", "--version"),
                List.of("run", "trainee-npm", "--", "--version"),
                List.of("run", "--", "/bin/true"),
                List.of("agents", "--offline"))) {
            Main.execute(args);
        }
        if (prepareRepository()) {
            for (List<String> args : List.of(
                    List.of("run", "-w", "repo", "--branch", "trained", "--", "/bin/sh", "-c", "echo x > x && git add x && git commit -qm x"),
                    List.of("ls"), List.of("diff", "shell-repo-trained"), List.of("merge", "shell-repo-trained"),
                    List.of("rm", "shell-repo-trained"))) {
                Main.execute(args);
            }
        }
        // the Docker backend's path, where an engine runs (where none does, its error's path)
        Main.execute(List.of("run", "--backend", "docker", "--name", "trainee-docker", "--", "/bin/true"));
        Main.execute(List.of("rm", "trainee-docker"));
        // last: a detached sandbox's supervisor, which hands its output over to its log once the sandbox is up
        Main.execute(List.of("run", "--name", "trainee-detached", dev.corral.app.DetachedRun.SUPERVISOR_OPTION, "--", "/bin/true"));
        Main.execute(List.of("logs", "trainee-detached"));
        return 0;
    }

    /** A repository with one commit in the throwaway workspace, for the paths of {@code --branch}. */
    private static boolean prepareRepository() {
        try {
            Path repo = Files.createDirectories(Path.of("repo").toAbsolutePath());
            Files.writeString(repo.resolve("README"), "trainee\n");
            for (List<String> git : List.of(List.of("git", "init", "-q"), List.of("git", "add", "README"),
                    List.of("git", "-c", "user.name=Trainee", "-c", "user.email=trainee@example.com", "commit", "-qm", "init"),
                    List.of("git", "config", "user.name", "Trainee"), List.of("git", "config", "user.email", "trainee@example.com"))) {
                Process process = new ProcessBuilder(git).directory(repo.toFile()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (process.waitFor() != 0) return false;
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** An agent installed from npm: one already in the cache (a link to true), as after its first run. */
    private static final String NPM_PROFILE = """
            format = 1
            [install]
            from = "npm"
            package = "trainee-npm"
            [run]
            command = "trainee-npm"
            [environment]
            TRAINEE_HOME = "~/.trainee"
            [network]
            hosts = ["api.trainee.example.com"]
            [secrets]
            trainee = []
            [files]
            login = ["~/.trainee"]
            """;

    /**
     * The trainees' profiles, a secret for them, a user config and an install in the cache, in the
     * throwaway home the launcher gave.
     */
    private static void prepareAgent() {
        Map<String, String> env = System.getenv();
        Identity identity = Identity.current(env);
        CorralPaths paths = CorralPaths.fromEnvironment(env, identity.home(), identity.uid());
        try {
            Path cache = paths.data().resolve("trainee-agents");
            Files.writeString(Files.createDirectories(paths.config()).resolve("config.toml"), """
                    [network]
                    allow = ["allowed.trainee.example.com"]
                    deny = ["denied.trainee.example.com"]
                    ca-files = ["/etc/ssl/certs/ca-certificates.crt"]
                    [agents]
                    cache-dir = "%s"
                    """.formatted(cache));
            Path agents = Files.createDirectories(paths.config().resolve("agents"));
            Files.writeString(agents.resolve("trainee.toml"), PROFILE);
            Files.writeString(agents.resolve("trainee-npm.toml"), NPM_PROFILE);
            AgentCache installs = new AgentCache(cache);
            AgentCache.Staging staging = installs.stage("trainee-npm");
            Path bin = Files.createDirectories(staging.pkg().resolve("node_modules/.bin"));
            Files.createSymbolicLink(bin.resolve("trainee-npm"), Path.of("/bin/true"));
            Path pkg = Files.createDirectories(staging.pkg().resolve("node_modules/trainee-npm"));
            Files.writeString(pkg.resolve("package.json"), "{\"name\": \"trainee-npm\", \"version\": \"1.0.0\"}");
            installs.commit(staging, "trainee-npm", "1.0.0");
            SecretStore.open(paths, Map.of("CORRAL_SECRET_STORE", "file"))
                    .set(ServiceCatalog.builtIn().custom("trainee", List.of("api.trainee.example.com"), List.of("TRAINEE_KEY")),
                            "trainee-value");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            // training is best effort: the cache still covers the other paths
        }
    }
}
