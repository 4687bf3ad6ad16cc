package dev.corral.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Repositories the sandbox embedded in the workspace's repository. Once a folder with a
 * {@code .git} of its own is registered in the index (a gitlink), the host's {@code git status}
 * runs git inside it — and that git obeys the embedded repository's configuration, which the
 * sandbox wrote ({@code core.fsmonitor} runs a command). No mount can stop the sandbox from
 * creating one, so after each run Corral looks at the gitlinks and quarantines every configuration
 * of an embedded repository that changed during the run: it is renamed to
 * {@code <name>.corral-quarantine} and replaced by a minimal one that runs nothing.
 */
public final class EmbeddedRepositories {
    static final String QUARANTINE_SUFFIX = ".corral-quarantine";
    static final String SAFE_CONFIG = "[core]\n\trepositoryformatversion = 0\n\tbare = false\n";

    private EmbeddedRepositories() {
    }

    /**
     * Quarantines what the run wrote; returns one line per repository it acted on.
     *
     * @param since when the run started: configurations older than that were the user's
     */
    public static List<String> quarantine(Path workspace, Instant since) {
        List<String> notes = new ArrayList<>();
        if (!Files.isDirectory(workspace.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) return notes;
        for (String path : gitlinks(workspace)) {
            Path dir = workspace.resolve(path).normalize();
            if (!dir.startsWith(workspace)) continue;
            for (Path config : configsOf(workspace, dir.resolve(".git"))) {
                quarantine(workspace, path, config, since).ifPresent(notes::add);
            }
        }
        return notes;
    }

    /**
     * The configuration files git reads for an embedded repository whose {@code .git} (a folder,
     * or a file naming one) lies in the workspace: its own, its per-worktree one, and those of the
     * common directory a {@code commondir} file points to.
     */
    private static List<Path> configsOf(Path workspace, Path dotGit) {
        List<Path> configs = new ArrayList<>();
        Path gitDir = dotGit;
        try {
            if (Files.isRegularFile(dotGit, LinkOption.NOFOLLOW_LINKS)) {
                String text = Files.readString(dotGit).strip();
                if (!text.startsWith("gitdir:")) return configs;
                gitDir = dotGit.getParent().resolve(text.substring("gitdir:".length()).strip()).normalize();
            }
            if (!Files.isDirectory(gitDir) || !gitDir.toRealPath().startsWith(workspace)) return configs;
            configs.add(gitDir.resolve("config"));
            configs.add(gitDir.resolve("config.worktree"));
            Path commonDir = gitDir.resolve("commondir");
            if (Files.isRegularFile(commonDir, LinkOption.NOFOLLOW_LINKS)) {
                Path common = gitDir.resolve(Files.readString(commonDir).strip()).normalize();
                if (!common.equals(gitDir)) configs.add(common.resolve("config"));
            }
        } catch (IOException e) {
            return configs;
        }
        return configs;
    }

    /** Sets aside one configuration the run changed (by change time, which the sandbox can't fake). */
    private static java.util.Optional<String> quarantine(Path workspace, String path, Path config, Instant since) {
        try {
            if (!Files.isRegularFile(config, LinkOption.NOFOLLOW_LINKS)) return java.util.Optional.empty();
            java.nio.file.attribute.FileTime changed =
                    (java.nio.file.attribute.FileTime) Files.getAttribute(config, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
            if (changed.toInstant().isBefore(since)) return java.util.Optional.empty();
            String text = Files.readString(config);
            if (text.equals(SAFE_CONFIG) || text.isBlank()) return java.util.Optional.empty();
            Path aside = config.resolveSibling(config.getFileName() + QUARANTINE_SUFFIX);
            Files.move(config, aside, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            if (config.getFileName().toString().equals("config")) Files.writeString(config, SAFE_CONFIG);
            return java.util.Optional.of("the sandbox registered " + path + " as an embedded repository and wrote its git settings"
                    + risky(text) + ", which your next git status would obey; Corral set them aside in " + workspace.relativize(aside));
        } catch (IOException e) {
            return java.util.Optional.of("could not check the embedded repository " + path + " (" + e.getMessage()
                    + "); inspect " + workspace.relativize(config) + " before running git here");
        }
    }

    private static String risky(String config) {
        String lower = config.toLowerCase(Locale.ROOT);
        List<String> found = new ArrayList<>();
        for (String key : List.of("fsmonitor", "hookspath", "sshcommand", "pager", "editor", "askpass", "include",
                "filter", "textconv", "helper", "alias")) {
            if (lower.contains(key)) found.add(key);
        }
        return found.isEmpty() ? "" : " (" + String.join(", ", found) + ")";
    }

    /** Paths of gitlinks in the index, read with a git that runs no hooks and no fsmonitor. */
    private static List<String> gitlinks(Path workspace) {
        List<String> links = new ArrayList<>();
        List<String> argv = GitCommand.safe(workspace, "ls-files", "--stage", "-z");
        try {
            ProcessBuilder builder = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD);
            GitCommand.isolate(builder.environment());
            Process git = builder.start();
            git.getOutputStream().close();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!git.waitFor(30, TimeUnit.SECONDS)) {
                git.destroyForcibly();
                return links;
            }
            for (String entry : out.split("\0")) {
                int tab = entry.indexOf('\t');
                if (entry.startsWith("160000 ") && tab > 0) links.add(entry.substring(tab + 1));
            }
        } catch (IOException e) {
            return links;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return links;
    }
}
