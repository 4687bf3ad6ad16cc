package dev.corral.git;

import dev.corral.host.HostCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.time.Duration;

/**
 * Repositories embedded in the workspace's repository. Once a folder with a {@code .git} of its
 * own is registered in the index (a gitlink), the host's {@code git status} runs git inside it —
 * and that git obeys the embedded repository's configuration, which the sandbox may have written
 * ({@code core.fsmonitor} runs a command). No mount can stop the sandbox from creating one, so
 * after each run Corral checks every gitlink: an embedded repository whose configuration could run
 * anything — a {@code .git} that is a file or a link (its configuration lives elsewhere), a
 * configuration that is a link, a {@code commondir} or per-worktree configuration, or a setting
 * that runs commands — has its {@code .git} renamed to {@code .git.corral-quarantine}. The folder
 * is then an unpopulated submodule, which git does not enter. Nothing is written or followed: the
 * check reads, and the one change is a rename inside the workspace.
 */
public final class EmbeddedRepositories {
    static final String QUARANTINE = ".git.corral-quarantine";
    /** Sections whose every setting can run a program or pull in other settings. */
    static final List<String> RISKY_SECTIONS = List.of("include", "includeif", "filter", "alias", "pager", "credential", "gpg");
    /** core.* settings that run a program or move the repository's files elsewhere. */
    static final List<String> RISKY_CORE = List.of("fsmonitor", "hookspath", "sshcommand", "pager", "editor", "askpass",
            "worktree", "gitproxy");
    /** Settings that run a program in whatever section they stand. */
    static final List<String> RISKY_KEYS = List.of("textconv", "command", "external", "driver", "cmd", "program", "helper",
            "packobjectshook", "editor", "proxycommand", "sshcommand");

    private EmbeddedRepositories() {
    }

    /** Quarantines what could run commands on the host; one line per repository it acted on. */
    public static List<String> quarantine(Path workspace) {
        List<String> notes = new ArrayList<>();
        if (!Files.isDirectory(workspace.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) return notes;
        for (String path : gitlinks(workspace)) {
            Optional<Path> dir = realFolder(workspace, path);
            if (dir.isEmpty()) continue;
            Path dotGit = dir.get().resolve(".git");
            if (!Files.exists(dotGit, LinkOption.NOFOLLOW_LINKS)) continue;
            Optional<String> why = unsafe(workspace, dotGit);
            if (why.isEmpty()) continue;
            try {
                Path aside = dir.get().resolve(QUARANTINE);
                if (Files.exists(aside, LinkOption.NOFOLLOW_LINKS)) throw new IOException(aside + " exists already");
                Files.move(dotGit, aside);
                notes.add("the embedded repository " + path + " has git settings that could run commands on your next git status ("
                        + why.get() + "); Corral renamed its .git to " + workspace.relativize(aside) + " — review it before renaming it back");
            } catch (IOException e) {
                notes.add("the embedded repository " + path + " has git settings that could run commands (" + why.get()
                        + ") and Corral could not set them aside (" + e.getMessage() + "); do not run git in "
                        + workspace + " before you inspect " + workspace.relativize(dotGit));
            }
        }
        return notes;
    }

    /** The gitlink's folder, if every step to it is a real folder inside the workspace (git follows no links there either). */
    private static Optional<Path> realFolder(Path workspace, String relative) {
        Path dir = workspace;
        for (Path part : Path.of(relative)) {
            String name = part.toString();
            if (name.equals("..") || name.equals(".")) return Optional.empty();
            dir = dir.resolve(name);
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        }
        return Optional.of(dir);
    }

    /** Why the embedded repository could run commands, or empty if its settings are plain. */
    static Optional<String> unsafe(Path workspace, Path dotGit) {
        if (Files.isRegularFile(dotGit, LinkOption.NOFOLLOW_LINKS) && isProtectedModule(workspace, dotGit)) return Optional.empty();
        if (!Files.isDirectory(dotGit, LinkOption.NOFOLLOW_LINKS)) return Optional.of(".git is not a plain folder");
        for (String name : List.of("commondir", "config.worktree")) {
            if (Files.exists(dotGit.resolve(name), LinkOption.NOFOLLOW_LINKS)) return Optional.of("it has a " + name);
        }
        Path config = dotGit.resolve("config");
        if (!Files.exists(config, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        if (!Files.isRegularFile(config, LinkOption.NOFOLLOW_LINKS)) return Optional.of("its config is not a plain file");
        try {
            List<String> found = riskySettings(Files.readString(config));
            return found.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", found));
        } catch (IOException e) {
            return Optional.of("its config is unreadable");
        }
    }

    /**
     * A submodule checked out the usual way: {@code .git} is a file naming a git directory under the
     * workspace's own {@code .git/modules}, which was there at launch (no new one can be made inside)
     * and whose settings the sandbox could not change.
     */
    private static boolean isProtectedModule(Path workspace, Path dotGitFile) {
        try {
            String text = Files.readString(dotGitFile).strip();
            if (!text.startsWith("gitdir:")) return false;
            Path gitDir = dotGitFile.getParent().resolve(text.substring("gitdir:".length()).strip()).normalize();
            Path modules = workspace.resolve(".git/modules");
            return gitDir.startsWith(modules) && gitDir.toRealPath().equals(gitDir);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The settings of a configuration file that could run a program, as section.key. */
    static List<String> riskySettings(String config) {
        List<String> found = new ArrayList<>();
        String section = "";
        for (String raw : config.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("[")) {
                int end = line.indexOf(']');
                String header = (end < 0 ? line.substring(1) : line.substring(1, end)).strip().toLowerCase(Locale.ROOT);
                section = header.split("[\\s.\"]", 2)[0];
                line = end < 0 ? "" : line.substring(end + 1).strip();
            }
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
            String key = line.split("[=\\s]", 2)[0].toLowerCase(Locale.ROOT);
            boolean risky = RISKY_SECTIONS.contains(section) || RISKY_KEYS.contains(key)
                    || (section.equals("core") && RISKY_CORE.contains(key));
            if (risky && !found.contains(section + "." + key)) found.add(section + "." + key);
        }
        return found;
    }

    /** Paths of gitlinks in the index, read with a git that runs no hooks and no fsmonitor. */
    private static List<String> gitlinks(Path workspace) {
        List<String> links = new ArrayList<>();
        List<String> argv = GitCommand.safe(workspace, "ls-files", "--stage", "-z");
        Optional<HostCommand.Output> out = HostCommand.run(argv, GitCommand::isolate, Duration.ofSeconds(30));
        if (out.isEmpty()) return links;
        for (String entry : out.get().stdout().split("\0")) {
            int tab = entry.indexOf('\t');
            if (entry.startsWith("160000 ") && tab > 0) links.add(entry.substring(tab + 1));
        }
        return links;
    }
}
