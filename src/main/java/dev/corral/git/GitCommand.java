package dev.corral.git;

import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Git command lines the supervisor runs on a workspace the sandbox could have changed: hooks,
 * fsmonitor and pagers off always; system and global settings not read unless the command works on
 * the user's own repository, where the user's settings (identity, filters, signing) are theirs to
 * apply. The command's environment is built from the host's with every {@code GIT_*} variable that
 * could point git at another repository, index, object store or program removed.
 */
final class GitCommand {
    /** Host variables a command on the user's repository keeps: who they are and where their settings are. */
    private static final Set<String> USER_VARIABLES = Set.of("GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_NOSYSTEM",
            "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_SSH", "GIT_SSH_COMMAND");
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    private final Path directory;
    private final boolean isolated;
    private final List<String> options = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private Duration timeout = DEFAULT_TIMEOUT;
    private OutputStream stdout;
    private Duration watchAfter;
    private BooleanSupplier abandon;

    private GitCommand(Path directory, boolean isolated) {
        this.directory = directory;
        this.isolated = isolated;
    }

    /** A command on the user's own repository (or run from {@code directory}) with the user's settings. */
    static GitCommand user(Path directory) {
        return new GitCommand(directory, false);
    }

    /** A command that reads no system or global settings: on Corral's repositories and the sandbox's. */
    static GitCommand isolated(Path directory) {
        return new GitCommand(directory, true);
    }

    /**
     * An isolated command that needs no repository ({@code git config --file}), run from {@code /}
     * so git finds none: run beside the file, it would take the folder around it (the sandbox's
     * {@code .git}, or a {@code .git} the agent made inside it) for its repository.
     */
    static GitCommand withoutRepository() {
        return new GitCommand(Path.of("/"), true);
    }

    GitCommand gitDir(Path gitDir) {
        options.add("--git-dir=" + gitDir);
        return this;
    }

    GitCommand workTree(Path workTree) {
        options.add("--work-tree=" + workTree);
        return this;
    }

    /** A setting for this command only ({@code -c key=value}); git passes it on to the git programs it starts. */
    GitCommand config(String key, String value) {
        options.add("-c");
        options.add(key + "=" + value);
        return this;
    }

    /** Only local repositories may be fetched from: no helper or network transport starts. */
    GitCommand localTransportOnly() {
        return config("protocol.allow", "never").config("protocol.file.allow", "always");
    }

    GitCommand env(String key, String value) {
        env.put(key, value);
        return this;
    }

    GitCommand args(String... more) {
        args.addAll(List.of(more));
        return this;
    }

    GitCommand args(List<String> more) {
        args.addAll(more);
        return this;
    }

    GitCommand timeout(Duration value) {
        timeout = value;
        return this;
    }

    /**
     * Once the command has run for {@code after}, asks {@code abandon} (once) whether to stop it; the
     * result then has {@link Git.Result#ABANDONED} as its exit status.
     */
    GitCommand watch(Duration after, BooleanSupplier abandon) {
        this.watchAfter = after;
        this.abandon = abandon;
        return this;
    }

    Duration watchAfter() {
        return watchAfter;
    }

    BooleanSupplier abandon() {
        return abandon;
    }

    /** Streams standard output there instead of collecting it. */
    GitCommand stdout(OutputStream out) {
        stdout = out;
        return this;
    }

    Path directory() {
        return directory;
    }

    Duration timeout() {
        return timeout;
    }

    OutputStream stdout() {
        return stdout;
    }

    List<String> argv() {
        List<String> argv = new ArrayList<>(List.of("git", "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "--no-pager"));
        if (isolated) argv.addAll(List.of("-c", "core.untrackedCache=false"));
        argv.addAll(options);
        argv.addAll(args);
        return argv;
    }

    /** The command's environment: the host's without git's redirections, English messages, no prompts. */
    Map<String, String> environment(Map<String, String> host) {
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : host.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith("GIT_") && (isolated || !USER_VARIABLES.contains(key))) continue;
            if (key.equals("LANGUAGE") || key.startsWith("LC_")) continue;
            result.put(key, entry.getValue());
        }
        if (isolated) isolate(result);
        result.put("LC_ALL", "C");
        result.put("GIT_TERMINAL_PROMPT", "0");
        result.put("GIT_EDITOR", ":");
        result.putAll(env);
        return result;
    }

    static List<String> safe(Path workspace, String... args) {
        List<String> argv = new ArrayList<>(List.of("git", "-c", "safe.directory=*", "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false",
                "-c", "core.untrackedCache=false", "--no-pager", "--no-optional-locks", "-C", workspace.toString()));
        argv.addAll(List.of(args));
        return argv;
    }

    /** Keeps the system's and the user's git settings out of the supervisor's git. */
    static void isolate(Map<String, String> env) {
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.remove("GIT_DIR");
        env.remove("GIT_WORK_TREE");
    }
}
