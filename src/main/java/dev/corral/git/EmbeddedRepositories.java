package dev.corral.git;

import dev.corral.host.HostCommand;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Repositories embedded in the workspace's repository. Once a folder with a {@code .git} of its
 * own is registered in the index (a gitlink), the host's {@code git status} runs git inside it —
 * and that git obeys the embedded repository's configuration and hooks, which the sandbox may have
 * written ({@code core.fsmonitor} runs a command). No mount can stop the sandbox from creating one,
 * so before and after each run Corral checks every gitlink, and an embedded repository that is not
 * plainly harmless has its {@code .git} renamed to {@code .git.corral-quarantine-<time>}: the
 * folder is then an unpopulated submodule, which git does not enter. Harmless means: {@code .git}
 * is a real folder (or a file naming a git directory under the workspace's own protected
 * {@code .git/modules}); no {@code commondir} or per-worktree configuration; only settings from a
 * short list of inert ones, as git itself reads them ({@code git config --file --list}); no hooks
 * but git's samples; and no gitlinks of its own. Nothing is written or followed: the check reads,
 * and the one change is a rename inside the workspace.
 */
public final class EmbeddedRepositories {
    static final String QUARANTINE = ".git.corral-quarantine-";
    /** Settings that run nothing and point nowhere else: what git init and git clone write; also what a sandbox's checkout may have. */
    static final Pattern INERT = Pattern.compile("(core\\.(repositoryformatversion|filemode|bare|logallrefupdates"
            + "|ignorecase|precomposeunicode|symlinks|autocrlf|eol|safecrlf|quotepath|abbrev)"
            + "|remote\\.[^=]+\\.(url|fetch|pushurl|tagopt|prune|mirror)"
            + "|branch\\.[^=]+\\.(remote|merge|rebase|pushremote)"
            + "|user\\.(name|email)|init\\.defaultbranch|extensions\\.objectformat|pull\\.(rebase|ff)|fetch\\.prune"
            + "|gc\\.auto|maintenance\\.auto)=.*");

    private EmbeddedRepositories() {
    }

    /** Quarantines what could run commands on the host; one line per repository it acted on. */
    public static List<String> quarantine(Path workspace) {
        List<String> notes = new ArrayList<>();
        if (!Files.exists(workspace.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) return notes;
        checkWorkTree(workspace, workspace, notes, 0);
        for (Path linked : linkedWorkTrees(workspace)) checkWorkTree(workspace, linked, notes, 0);
        return notes;
    }

    /**
     * Checks the gitlinks of one work tree's index; the submodules checked out the usual way are work
     * trees too, with indexes the sandbox could write, so their gitlinks are checked in turn.
     */
    private static void checkWorkTree(Path workspace, Path workTree, List<String> notes, int depth) {
        Optional<List<String>> links = gitlinks(workTree);
        if (links.isEmpty()) {
            notes.add("could not list the repositories embedded in " + workTree + " (git ls-files failed); "
                    + "inspect any folder with a .git of its own before running git there");
            return;
        }
        for (String path : links.get()) {
            Optional<Path> dir = realFolder(workspace, workTree, path);
            if (dir.isEmpty()) continue;
            Path dotGit = dir.get().resolve(".git");
            if (!Files.exists(dotGit, LinkOption.NOFOLLOW_LINKS)) continue;
            if (Files.isRegularFile(dotGit, LinkOption.NOFOLLOW_LINKS) && isProtectedModule(workspace, dotGit)) {
                if (depth < 4) checkWorkTree(workspace, dir.get(), notes, depth + 1);
                continue;
            }
            Optional<String> why = unsafe(workspace, dotGit);
            if (why.isEmpty()) continue;
            String shown = workspace.relativize(dir.get()).toString();
            try {
                Path aside = dir.get().resolve(QUARANTINE + System.currentTimeMillis());
                Files.move(dotGit, aside);
                notes.add("the embedded repository " + shown + " could run commands on your next git status ("
                        + why.get() + "); Corral renamed its .git to " + workspace.relativize(aside) + " — review it before renaming it back");
            } catch (IOException e) {
                notes.add("the embedded repository " + shown + " could run commands (" + why.get()
                        + ") and Corral could not set it aside (" + e.getMessage() + "); do not run git in "
                        + workspace + " before you inspect " + workspace.relativize(dotGit));
            }
        }
    }

    /** Linked worktrees (git worktree add) that lie inside the workspace: they have indexes of their own. */
    private static List<Path> linkedWorkTrees(Path workspace) {
        List<Path> trees = new ArrayList<>();
        Path admin = workspace.resolve(".git/worktrees");
        if (!Files.isDirectory(admin, LinkOption.NOFOLLOW_LINKS)) return trees;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(admin)) {
            for (Path entry : entries) {
                Path gitdirFile = entry.resolve("gitdir");
                if (!Files.isRegularFile(gitdirFile, LinkOption.NOFOLLOW_LINKS)) continue;
                Path dotGit = Path.of(Files.readString(gitdirFile).strip()).normalize();
                Path tree = dotGit.getParent();
                if (tree != null && tree.startsWith(workspace) && !tree.equals(workspace)) {
                    realFolder(workspace, workspace, workspace.relativize(tree).toString()).ifPresent(trees::add);
                }
            }
        } catch (IOException | RuntimeException e) {
            return trees;
        }
        return trees;
    }

    /** The gitlink's folder, if every step to it is a real folder inside the workspace (git follows no links there either). */
    private static Optional<Path> realFolder(Path workspace, Path base, String relative) {
        Path dir = base;
        for (Path part : Path.of(relative)) {
            String name = part.toString();
            if (name.equals("..") || name.equals(".")) return Optional.empty();
            dir = dir.resolve(name);
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        }
        return dir.startsWith(workspace) ? Optional.of(dir) : Optional.empty();
    }

    /** Why the embedded repository could run commands, or empty if it is plainly harmless. */
    static Optional<String> unsafe(Path workspace, Path dotGit) {
        if (Files.isRegularFile(dotGit, LinkOption.NOFOLLOW_LINKS) && isProtectedModule(workspace, dotGit)) return Optional.empty();
        if (!Files.isDirectory(dotGit, LinkOption.NOFOLLOW_LINKS)) return Optional.of(".git is not a plain folder");
        for (String name : List.of("commondir", "config.worktree")) {
            if (Files.exists(dotGit.resolve(name), LinkOption.NOFOLLOW_LINKS)) return Optional.of("it has a " + name);
        }
        Path config = dotGit.resolve("config");
        if (Files.exists(config, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isRegularFile(config, LinkOption.NOFOLLOW_LINKS)) return Optional.of("its config is not a plain file");
            Optional<String> settings = settingsOutsideTheInertList(config);
            if (settings.isPresent()) return settings;
        }
        Optional<String> hooks = liveHooks(dotGit.resolve("hooks"));
        if (hooks.isPresent()) return hooks;
        Optional<List<String>> nested = gitlinks(dotGit.getParent());
        if (nested.isEmpty()) return Optional.of("its index could not be read");
        if (!nested.get().isEmpty()) return Optional.of("it embeds repositories of its own");
        return Optional.empty();
    }

    /** The settings as git reads them (header spellings, byte-order marks and all), checked against the inert list. */
    private static Optional<String> settingsOutsideTheInertList(Path config) {
        Optional<HostCommand.Output> out = HostCommand.run(List.of("git", "config", "--file", config.toString(), "--no-includes", "--list"),
                GitCommand::isolate, Duration.ofSeconds(10));
        if (out.isEmpty() || !out.get().ok()) return Optional.of("its config is not one git reads cleanly");
        List<String> other = new ArrayList<>();
        for (String line : out.get().stdout().split("\n")) {
            if (line.isBlank() || INERT.matcher(line).matches()) continue;
            other.add(line.contains("=") ? line.substring(0, line.indexOf('=')) : line);
        }
        return other.isEmpty() ? Optional.empty() : Optional.of("settings " + String.join(", ", other));
    }

    private static Optional<String> liveHooks(Path hooks) {
        if (!Files.exists(hooks, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        if (!Files.isDirectory(hooks, LinkOption.NOFOLLOW_LINKS)) return Optional.of("its hooks are not a plain folder");
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(hooks)) {
            for (Path entry : entries) {
                if (!entry.getFileName().toString().endsWith(".sample")) return Optional.of("hook " + entry.getFileName());
            }
        } catch (IOException e) {
            return Optional.of("its hooks can't be read");
        }
        return Optional.empty();
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

    /** Paths of gitlinks in a work tree's index, read with a git that runs no hooks and no fsmonitor; empty if git failed. */
    private static Optional<List<String>> gitlinks(Path workTree) {
        Optional<HostCommand.Output> out = HostCommand.run(GitCommand.safe(workTree, "ls-files", "--stage", "-z"),
                GitCommand::isolate, Duration.ofSeconds(30));
        if (out.isEmpty() || !out.get().ok()) return Optional.empty();
        List<String> links = new ArrayList<>();
        for (String entry : out.get().stdout().split("\0")) {
            int tab = entry.indexOf('\t');
            if (entry.startsWith("160000 ") && tab > 0) links.add(entry.substring(tab + 1));
        }
        return Optional.of(links);
    }
}
