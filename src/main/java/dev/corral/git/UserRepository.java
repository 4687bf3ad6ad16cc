package dev.corral.git;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * The user's repository as the steps that bring a sandbox's work back see it: refs in the shared git
 * folder (G), HEAD, index and files in the work tree (T). Trusted, so the user's settings apply, but
 * every command runs with hooks and fsmonitor off; refs are changed only with compare-and-swap.
 */
final class UserRepository {
    /** A trial merge's outcome: the merged tree, or the paths that conflict. */
    record Preflight(String tree, List<String> conflicts) {
        boolean clean() {
            return conflicts.isEmpty();
        }
    }

    private final Git git;
    private final SandboxWorktree worktree;

    UserRepository(Git git, SandboxWorktree worktree) {
        this.git = git;
        this.worktree = worktree;
    }

    private GitCommand shared() {
        return GitCommand.user(worktree.commonDir()).gitDir(worktree.commonDir());
    }

    private GitCommand workTree() {
        if (!Files.isDirectory(worktree.repository())) {
            throw new GitException("the repository " + worktree.repository() + " the sandbox's branch came from is gone", null);
        }
        return GitCommand.user(worktree.repository());
    }

    /** The commit a ref (or HEAD, or an id) names, if it names one. */
    Optional<String> commit(String ref) {
        Git.Result result = git.run(shared().args("rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}"));
        return result.ok() ? Optional.of(result.stdout().strip()) : Optional.empty();
    }

    String head() {
        Git.Result result = git.run(workTree().args("rev-parse", "--verify", "--quiet", "--end-of-options", "HEAD^{commit}"));
        if (!result.ok()) throw new GitException(worktree.repository() + " has no commit checked out", null);
        return result.stdout().strip();
    }

    /** The branch checked out in T; empty when HEAD is detached. */
    Optional<String> currentBranch() {
        Git.Result result = git.run(workTree().args("symbolic-ref", "--quiet", "HEAD"));
        String ref = result.stdout().strip();
        return result.ok() && ref.startsWith("refs/heads/") ? Optional.of(ref.substring("refs/heads/".length())) : Optional.empty();
    }

    boolean isAncestor(String ancestor, String descendant) {
        Git.Result result = git.run(shared().args("merge-base", "--is-ancestor", "--end-of-options", ancestor, descendant));
        if (result.exit() > 1) throw new GitException("cannot compare commits in " + worktree.repository() + ": " + result.reason(), null);
        return result.ok();
    }

    boolean isOnABranchOrTag(String commit) {
        Git.Result result = git.run(shared().args("for-each-ref", "--count=1", "--format=%(refname)", "--contains", commit,
                "refs/heads/", "refs/tags/"));
        return result.ok() && !result.stdout().isBlank();
    }

    /** Changes a ref only if it still holds {@code expected}; false when someone moved it meanwhile. */
    boolean compareAndSwap(String ref, String value, String expected) {
        return git.run(shared().args("update-ref", "-m", "corral: the sandbox's commits", "--end-of-options", ref, value, expected)).ok();
    }

    boolean deleteIf(String ref, String expected) {
        return git.run(shared().args("update-ref", "-d", "--end-of-options", ref, expected)).ok();
    }

    void delete(String ref) {
        git.run(shared().args("update-ref", "-d", "--end-of-options", ref));
    }

    /** The work tree that has the branch checked out, if one has (moving it there would change its files under it). */
    Optional<Path> checkedOutIn(String ref) {
        Git.Result result = git.run(shared().args("worktree", "list", "--porcelain", "-z"));
        String tree = null;
        for (String field : Git.fields(result.stdout())) {
            if (field.startsWith("worktree ")) tree = field.substring("worktree ".length());
            if (field.equals("branch " + ref) && tree != null) return Optional.of(Path.of(tree));
        }
        return Optional.empty();
    }

    /** T's own git folder (per work tree: where MERGE_HEAD and the index are). */
    private Path gitDir() {
        return Path.of(git.line(workTree().args("rev-parse", "--absolute-git-dir"), "cannot read " + worktree.repository()));
    }

    /** Refuses when T is in the middle of something a merge would get tangled in. */
    void requireNoOperationInProgress(String retry) {
        Path gitDir = gitDir();
        String[][] states = {
                {"MERGE_HEAD", "a merge", "git commit to finish it, or git merge --abort"},
                {"rebase-merge", "a rebase", "git rebase --continue, or git rebase --abort"},
                {"rebase-apply", "a rebase", "git rebase --continue, or git rebase --abort"},
                {"CHERRY_PICK_HEAD", "a cherry-pick", "git cherry-pick --continue, or git cherry-pick --abort"},
                {"REVERT_HEAD", "a revert", "git revert --continue, or git revert --abort"},
        };
        for (String[] state : states) {
            if (Files.exists(gitDir.resolve(state[0]))) {
                throw new GitException(worktree.repository() + " is in the middle of " + state[1], state[2] + "; then " + retry + " again");
            }
        }
    }

    /**
     * Merges {@code theirs} into HEAD without touching HEAD, the index or the files
     * ({@code git merge-tree --write-tree}); the merged tree's objects are written, nothing else.
     */
    Preflight preflight(String theirs) {
        Git.Result result = git.run(workTree().args("merge-tree", "--write-tree", "--name-only", "-z", "--no-messages",
                "--end-of-options", "HEAD", theirs));
        if (result.exit() > 1) throw new GitException("cannot merge the sandbox's branch " + worktree.branch() + ": " + result.reason(), null);
        List<String> fields = Git.fields(result.stdout());
        if (fields.isEmpty()) throw new GitException("cannot merge the sandbox's branch " + worktree.branch() + ": git merge-tree printed nothing", null);
        List<String> conflicts = new ArrayList<>(new LinkedHashSet<>(fields.subList(1, fields.size())));
        if (!result.ok() && conflicts.isEmpty()) conflicts.add("(git named no file)");
        return new Preflight(fields.get(0), conflicts);
    }

    /** Paths that differ between two trees or commits. */
    List<String> changedPaths(String from, String to) {
        return Git.fields(git.output(shared().args("diff-tree", "-r", "-z", "--name-only", "--no-renames", "--end-of-options", from, to),
                "cannot compare the sandbox's work with " + worktree.repository()));
    }

    /**
     * Runs {@code git merge} with these arguments in T. When git refuses because of the user's own
     * uncommitted or untracked files it has changed nothing yet; that is said plainly.
     */
    void merge(String retry, String... args) {
        merge(workTree(), retry, args);
    }

    /**
     * {@code git merge --squash}: the sandbox's work as staged changes, HEAD unmoved. git asks for an
     * identity even though it makes no commit, so one is given: nothing records it.
     */
    void squash(String retry, String commit) {
        GitCommand command = workTree().env("GIT_COMMITTER_NAME", "Corral").env("GIT_COMMITTER_EMAIL", "corral@localhost")
                .env("GIT_AUTHOR_NAME", "Corral").env("GIT_AUTHOR_EMAIL", "corral@localhost");
        merge(command, retry, "--squash", "--ff", "--no-commit", "--end-of-options", commit);
    }

    private void merge(GitCommand command, String retry, String... args) {
        List<String> argv = new ArrayList<>(List.of("merge"));
        argv.addAll(List.of(args));
        Git.Result result = git.run(command.timeout(Duration.ofMinutes(10)).args(argv));
        if (result.ok()) return;
        if (result.stderr().contains("would be overwritten by merge")) {
            List<String> paths = new ArrayList<>();
            for (String line : result.stderr().split("\n")) {
                if (line.startsWith("\t") || line.startsWith("  ")) paths.add(line.strip());
            }
            throw new GitException("your uncommitted changes in " + worktree.repository() + " to " + GitException.listed(paths)
                    + " would be overwritten; nothing was merged", "commit or stash them (git stash), then " + retry + " again");
        }
        if (Files.exists(gitDir().resolve("MERGE_HEAD")) || result.stdout().contains("CONFLICT")) {
            throw new GitException("git merge stopped with conflicts in " + worktree.repository() + ": " + result.reason(),
                    "resolve them and commit, or undo with git merge --abort");
        }
        throw new GitException("git merge failed in " + worktree.repository() + ": " + result.reason(), null);
    }
}
