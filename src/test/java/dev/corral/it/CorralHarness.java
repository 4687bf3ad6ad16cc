package dev.corral.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the packaged {@code corral} as root or as the unprivileged test user, each test with its
 * own home, XDG folders and workspace, and collects exit status and output.
 *
 * <p>The unprivileged user is {@value #TEST_USER} ({@code bin/test} creates it when run as root).
 * The jar is copied to a world-readable folder so that user can run it whatever the checkout's
 * permissions.
 */
public final class CorralHarness implements AutoCloseable {
    public static final String TEST_USER = "corral-test";
    private static final Path INSTALL = installJar();

    private final Invoker invoker;
    private final SandboxBackend backend;
    private final Path root;
    private final Path home;
    private final Path workspace;
    private final long uid;
    private final long gid;
    private final List<Background> backgrounds = new ArrayList<>();
    private List<String> jvmOptions = List.of();
    private boolean inEngineGroup = true;

    /** The result of one command. */
    public record Result(int exit, String stdout, String stderr) {
        public String out() {
            return stdout;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    public CorralHarness(Invoker invoker) {
        this(invoker, SandboxBackend.NATIVE);
    }

    /** With {@link SandboxBackend#DOCKER} the user's configuration makes it the default backend of every new sandbox. */
    public CorralHarness(Invoker invoker, SandboxBackend backend) {
        this.invoker = invoker;
        this.backend = backend;
        try {
            if (invoker == Invoker.USER) {
                uid = Long.parseLong(run("id", "-u", TEST_USER).strip());
                gid = Long.parseLong(run("id", "-g", TEST_USER).strip());
            } else {
                if (!isRoot()) throw new IllegalStateException("the ROOT invoker needs the tests to run as root");
                uid = 0;
                gid = 0;
            }
            root = Files.createTempDirectory(Path.of("/tmp"), "corral-it-");
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
            home = Files.createDirectories(root.resolve("home"));
            workspace = Files.createDirectories(root.resolve("work/project"));
            if (backend == SandboxBackend.DOCKER) {
                Files.createDirectories(home.resolve(".config/corral"));
                Files.writeString(home.resolve(".config/corral/config.toml"), "backend = \"docker\"\n");
            }
            chownTree(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Invoker invoker() {
        return invoker;
    }

    public SandboxBackend backend() {
        return backend;
    }

    /** The invoking user's (fake) home folder on the host. */
    public Path home() {
        return home;
    }

    public Path workspace() {
        return workspace;
    }

    public Path root() {
        return root;
    }

    public long uid() {
        return uid;
    }

    /**
     * Extra options for the corral JVM of the following invocations (placed before {@code -jar}),
     * e.g. {@code -Djdk.net.hosts.file=FILE}; replaces the previous ones, an empty list removes them.
     */
    public CorralHarness jvmOptions(List<String> options) {
        jvmOptions = List.copyOf(options);
        return this;
    }

    /** The ordinary user's following invocations are not in the engine's group, like a user nobody let use Docker. */
    public CorralHarness outsideEngineGroup() {
        inEngineGroup = false;
        return this;
    }

    /** {@code corral ARGS...} in the workspace, with no input. */
    public Result corral(String... args) {
        return corralIn(workspace, args);
    }

    /** {@code corral ARGS...} in the given folder. */
    public Result corralIn(Path cwd, String... args) {
        return execute(corralProcess(cwd, args), 120);
    }

    /** {@code corral ARGS...} in the workspace, with {@code input} on its stdin. */
    public Result corralWithInput(String input, String... args) {
        try {
            Path in = Files.createTempFile("corral-it-in", ".txt");
            try {
                Files.writeString(in, input, StandardCharsets.UTF_8);
                return execute(corralProcess(workspace, args), 120, in);
            } finally {
                Files.deleteIfExists(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A {@code corral} started in the workspace and left running; {@link #close()} kills it if the test didn't. */
    public Background corralInBackground(String... args) {
        try {
            Path out = Files.createTempFile("corral-it-bg-out", ".txt");
            Path err = Files.createTempFile("corral-it-bg-err", ".txt");
            ProcessBuilder builder = corralProcess(workspace, args);
            builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.redirectOutput(out.toFile()).redirectError(err.toFile());
            Background background = new Background(builder.start(), out, err);
            backgrounds.add(background);
            return background;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A {@code corral} running in the background, its output going to files. */
    public record Background(Process process, Path stdout, Path stderr) {
        /** Waits for it to end; empty if it is still running after the timeout. */
        public java.util.Optional<Result> await(java.time.Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) return java.util.Optional.empty();
                return java.util.Optional.of(new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                        Files.readString(stderr, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        void kill() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
                Files.deleteIfExists(stdout);
                Files.deleteIfExists(stderr);
            } catch (IOException ignored) {
                // temporary files
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * {@code corral ARGS...} in the workspace, with extra variables in its environment and started
     * through {@code wrapper}: a command, run as the invoking user, that ends by executing the
     * arguments it is given (a shell that opens descriptors first, a pseudo-terminal...).
     */
    public Result corralVia(List<String> wrapper, Map<String, String> extraEnv, String... args) {
        ProcessBuilder builder = corralProcess(workspace, args);
        List<String> argv = new ArrayList<>(builder.command());
        argv.addAll(argv.indexOf(javaBin()), wrapper);
        builder.command(argv).environment().putAll(extraEnv);
        return execute(builder, 120);
    }

    /**
     * Where sandbox {@code name}'s private home is on the host: a folder of Corral's, or on Docker
     * the folder of its named volume in the engine's data.
     */
    public Path sandboxHome(String name) {
        if (backend == SandboxBackend.NATIVE) return sandboxesDir().resolve(name).resolve("home");
        String volume = "corral-" + owner() + "-" + name + "-home";
        return Path.of(run("docker", "volume", "inspect", "-f", "{{.Mountpoint}}", volume).strip());
    }

    /** The engine labels and names of this harness's sandboxes carry a hash of Corral's data folder. */
    private String owner() {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(home.resolve(".local/share/corral").toString().getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where the invoking user's sandboxes are stored: one folder each. */
    public Path sandboxesDir() {
        return home.resolve(".local/share/corral/sandboxes");
    }

    private ProcessBuilder corralProcess(Path cwd, String... args) {
        List<String> argv = new ArrayList<>();
        if (invoker == Invoker.USER) {
            argv.addAll(List.of("setpriv", "--reuid", Long.toString(uid), "--regid", Long.toString(gid)));
            // on Docker the user is in the engine's group, as users of Docker are; otherwise no groups at all
            argv.addAll(backend == SandboxBackend.DOCKER && inEngineGroup ? List.of("--groups", engineGroup()) : List.of("--clear-groups"));
            argv.add("--");
        }
        argv.addAll(List.of(javaBin(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
                "--enable-native-access=ALL-UNNAMED"));
        argv.addAll(jvmOptions);
        argv.addAll(List.of("-jar", INSTALL.resolve("corral.jar").toString()));
        argv.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(argv).directory(cwd.toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("HOME", home.toString());
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
        env.put("USER", invoker == Invoker.USER ? TEST_USER : "root");
        env.put("LANG", "C.UTF-8");
        env.put("XDG_DATA_HOME", home.resolve(".local/share").toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("XDG_RUNTIME_DIR", root.resolve("run").toString());
        String engine = System.getenv("DOCKER_HOST");
        if (engine != null) env.put("DOCKER_HOST", engine);
        return builder;
    }

    /** A shell command inside a fresh sandbox of the workspace: {@code corral run -- sh -c SCRIPT}. */
    public Result sandbox(String script) {
        return corral("run", "--", "/bin/sh", "-c", script);
    }

    /** Creates a file in the workspace, owned by the invoking user. */
    public Path writeWorkspaceFile(String relative, String content) {
        try {
            Path file = workspace.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            chownTree(workspace);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a host command as the invoking user in the workspace (e.g. git), returning stdout. */
    public Result host(String... command) {
        List<String> argv = new ArrayList<>();
        if (invoker == Invoker.USER) {
            argv.addAll(List.of("setpriv", "--reuid", Long.toString(uid), "--regid", Long.toString(gid)));
            // on Docker the user is in the engine's group, as users of Docker are; otherwise no groups at all
            argv.addAll(backend == SandboxBackend.DOCKER && inEngineGroup ? List.of("--groups", engineGroup()) : List.of("--clear-groups"));
            argv.add("--");
        }
        argv.addAll(Arrays.asList(command));
        ProcessBuilder builder = new ProcessBuilder(argv).directory(workspace.toFile());
        builder.environment().put("HOME", home.toString());
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        return execute(builder, 60);
    }

    /** Makes the workspace a git repository with one commit, as the invoking user. */
    public void gitInit() {
        writeWorkspaceFile("README.md", "hello\n");
        for (String[] cmd : new String[][]{
                {"git", "init", "-q", "-b", "main"},
                {"git", "config", "user.email", "test@example.com"},
                {"git", "config", "user.name", "Test"},
                {"git", "add", "."},
                {"git", "commit", "-q", "-m", "initial"}}) {
            Result r = host(cmd);
            if (r.exit() != 0) throw new IllegalStateException("git setup failed: " + r);
        }
    }

    public void chownTree(Path path) {
        if (invoker != Invoker.USER) return;
        run("chown", "-R", uid + ":" + gid, path.toString());
    }

    @Override
    public void close() {
        backgrounds.forEach(Background::kill);
        stopEverything();
        run("rm", "-rf", root.toString());
    }

    private void stopEverything() {
        Path sandboxes = home.resolve(".local/share/corral/sandboxes");
        if (!Files.isDirectory(sandboxes)) return;
        try (Stream<Path> dirs = Files.list(sandboxes)) {
            for (Path dir : dirs.toList()) corral("rm", "-f", dir.getFileName().toString());
        } catch (IOException ignored) {
            // the folder goes anyway
        }
    }

    /** The group that may use the engine's socket (the tests' engine makes it the docker group). */
    private static String engineGroup() {
        return run("getent", "group", "docker").split(":")[2];
    }

    public static boolean isRoot() {
        return "0".equals(run("id", "-u").strip());
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path installJar() {
        String jar = System.getProperty("corral.jar", "target/corral.jar");
        Path source = Path.of(jar).toAbsolutePath();
        try {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "corral-jar-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.copy(source, dir.resolve("corral.jar"), StandardCopyOption.REPLACE_EXISTING);
            Path lib = Files.createDirectories(dir.resolve("lib"));
            Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rwxr-xr-x"));
            if (Files.isDirectory(source.resolveSibling("lib"))) {
                try (Stream<Path> jars = Files.list(source.resolveSibling("lib"))) {
                    for (Path j : jars.toList()) Files.copy(j, lib.resolve(j.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> run("rm", "-rf", dir.toString())));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install " + source + " for the tests (run mvn package first)", e);
        }
    }

    static String run(String... argv) {
        Result r = execute(new ProcessBuilder(argv), 60);
        if (r.exit() != 0) throw new IllegalStateException(String.join(" ", argv) + " failed: " + r);
        return r.stdout();
    }

    private static Result execute(ProcessBuilder builder, int timeoutSeconds) {
        return execute(builder, timeoutSeconds, Path.of("/dev/null"));
    }

    private static Result execute(ProcessBuilder builder, int timeoutSeconds, Path stdin) {
        try {
            Path out = Files.createTempFile("corral-it-out", ".txt");
            Path err = Files.createTempFile("corral-it-err", ".txt");
            builder.redirectInput(ProcessBuilder.Redirect.from(stdin.toFile()));
            builder.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = builder.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
            }
            Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
