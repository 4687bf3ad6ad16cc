package dev.corral.git;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * How many files a sandbox has changed, for {@code corral ls}: cheap, bounded and inert, since
 * {@code ls} runs while sandboxes do. Tracked files that differ from the base commit (its branch
 * point, or HEAD for a plain workspace) plus untracked ones, from git run the supervisor's safe way
 * (hooks, fsmonitor and optional locks off, no global or system settings) and never into embedded
 * repositories: a sandbox controls those, and a {@code git status} that enters one obeys its
 * configuration (a clean filter runs a command). Each git gets a few seconds; a sandbox that makes it
 * slower (a huge file, say) shows no count rather than holding up {@code ls}.
 */
public final class WorkspaceStatus {
    private static final Duration TIMEOUT = Duration.ofSeconds(4);

    private WorkspaceStatus() {
    }

    /** A plain workspace's changes against its HEAD; empty when it is not a repository or git could not tell in time. */
    public static OptionalInt changedFiles(Path workspace, Map<String, String> environment) {
        if (!Files.exists(workspace.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) return OptionalInt.empty();
        return count(new Git(environment), workspace, null, "HEAD");
    }

    /**
     * A branch sandbox's changes against its branch point, read from its checkout once it is still
     * as Corral made it (its configuration inert, no links in its {@code .git}).
     */
    public static OptionalInt changedFiles(SandboxWorktree worktree, Map<String, String> environment) {
        try {
            Git git = new Git(environment);
            Path gitDir = SandboxCheckout.verify(git, worktree);
            return count(git, worktree.path(), gitDir, worktree.baseCommit());
        } catch (GitException e) {
            return OptionalInt.empty();
        }
    }

    /** @param gitDir the repository of {@code workTree}, or null for its own {@code .git} */
    private static OptionalInt count(Git git, Path workTree, Path gitDir, String base) {
        Git.Result tracked = git.run(bounded(workTree, gitDir).args("diff", "--name-only", "-z", "--no-renames", "--ignore-submodules=all",
                "--end-of-options", base, "--"));
        if (tracked.exit() != 0) return OptionalInt.empty();
        Git.Result untracked = git.run(bounded(workTree, gitDir).args("ls-files", "--others", "--exclude-standard", "-z"));
        if (untracked.exit() != 0) return OptionalInt.empty();
        Set<String> files = new HashSet<>(names(tracked.stdout()));
        files.addAll(names(untracked.stdout()));
        return OptionalInt.of(files.size());
    }

    /** One command in {@code workTree}: submodules left alone, a short deadline. */
    private static GitCommand bounded(Path workTree, Path gitDir) {
        GitCommand command = GitCommand.isolated(workTree);
        if (gitDir != null) command.gitDir(gitDir).workTree(workTree);
        return command.config("diff.ignoreSubmodules", "all").config("submodule.recurse", "false").timeout(TIMEOUT);
    }

    static List<String> names(String nulSeparated) {
        List<String> names = new ArrayList<>();
        for (String name : nulSeparated.split("\0")) {
            if (!name.isEmpty()) names.add(name);
        }
        return names;
    }
}
