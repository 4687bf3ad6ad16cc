package dev.corral.git;

import dev.corral.support.Files2;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A branch per sandbox: the sandbox works in a checkout of its own (see {@link NewCheckout}) and its
 * commits come back to the user's repository through a fetch Corral runs on the host.
 *
 * <p>Trust: the checkout's objects, refs, index, HEAD and files are the agent's; its
 * {@code .git/config}, hooks and alternates are Corral's (read-only inside). So the host never
 * writes into W/.git, runs git with W as its repository only through {@code git upload-pack --strict}
 * (which reads W/.git/config and objects, after {@link SandboxCheckout} checked them), and reads W's
 * files only into a Corral-owned scratch repository ({@link Snapshots}). Every git command runs with
 * hooks and fsmonitor off; names reach git only validated and as full ref names.
 *
 * <p>{@code scratch} is a private folder Corral keeps for the sandbox (its state folder, say): the
 * scratch repository and its index live there between calls.
 */
public final class Worktrees {
    private final Git git;
    private final Snapshots snapshots;

    public Worktrees() {
        this(System.getenv());
    }

    /** @param environment the environment git starts from (the user's; tests pass their own) */
    public Worktrees(Map<String, String> environment) {
        this.git = new Git(environment);
        this.snapshots = new Snapshots(git);
    }

    /**
     * A new checkout at {@code path} (which must not exist) on a new branch made from the
     * repository's HEAD, in the checkout and in the user's repository.
     */
    public SandboxWorktree create(RepositoryInfo repo, String branch, Path path) {
        return new NewCheckout(git).create(repo, branch, path);
    }

    /** The object folders the checkout borrows: to be mounted read-only at their own paths. */
    public List<Path> objectDirectories(SandboxWorktree worktree) {
        return ObjectDirectories.of(worktree.commonDir());
    }

    /**
     * Brings the sandbox's commits into the user's repository ({@code refs/corral/sandboxes/<name>})
     * and fast-forwards the user's branch to them when it has nothing of its own.
     */
    public Sync sync(SandboxWorktree worktree, String sandboxName) {
        String hidden = Refs.sandbox(sandboxName);
        String branchRef = Refs.branch(worktree.branch());
        Path gitDir = SandboxCheckout.verify(git, worktree);
        UserRepository user = new UserRepository(git, worktree);
        Optional<String> previous = user.commit(hidden);
        List<String> notes = new ArrayList<>();
        Git.Result fetched = git.run(Snapshots.fetchFrom(worktree.commonDir(), gitDir).args("+" + branchRef + ":" + hidden));
        String tip;
        boolean found = true;
        if (fetched.ok()) {
            tip = user.commit(hidden).orElseThrow(() -> new GitException("the sandbox's branch " + worktree.branch() + " does not point at a commit",
                    "corral rm --force " + sandboxName + " removes the sandbox if its repository is broken"));
        } else if (Snapshots.isMissingRef(fetched)) {
            found = false;
            tip = previous.orElse(worktree.baseCommit());
            notes.add("the sandbox's repository has no branch " + worktree.branch() + " any more (deleted or renamed inside); using "
                    + (previous.isPresent() ? "its last known commit " : "the commit it started at ") + abbreviated(tip));
        } else {
            throw new GitException("cannot fetch the sandbox's branch " + worktree.branch() + " from " + worktree.path() + ": " + fetched.reason(),
                    "corral rm --force " + sandboxName + " removes the sandbox if its repository is broken");
        }
        fastForward(user, worktree, branchRef, hidden, tip, notes);
        return new Sync(tip, found, notes);
    }

    private static void fastForward(UserRepository user, SandboxWorktree worktree, String branchRef, String hidden, String tip, List<String> notes) {
        String branch = worktree.branch();
        Optional<String> ours = user.commit(branchRef);
        if (ours.isEmpty()) {
            notes.add("branch " + branch + " no longer exists in " + worktree.repository() + "; the sandbox's commits are in " + hidden);
        } else if (ours.get().equals(tip)) {
            return;
        } else if (user.isAncestor(ours.get(), tip)) {
            Optional<Path> checkedOut = user.checkedOutIn(branchRef);
            if (checkedOut.isPresent()) {
                notes.add("branch " + branch + " is checked out in " + checkedOut.get() + ", so Corral did not move it; "
                        + "git merge --ff-only " + hidden + " brings in the sandbox's commits");
            } else if (!user.compareAndSwap(branchRef, tip, ours.get())) {
                notes.add("branch " + branch + " changed while Corral updated it, so it was left; the sandbox's commits are in " + hidden);
            }
        } else {
            notes.add("branch " + branch + " in " + worktree.repository() + " has commits the sandbox's branch does not, so Corral left it; "
                    + "the sandbox's commits are in " + hidden);
        }
    }

    /** The sandbox's commits and changed files against the branch's start, uncommitted work included. */
    public Changes changes(SandboxWorktree worktree, Path scratch) {
        Snapshots.Snapshot snapshot = snapshots.take(worktree, scratch);
        Path repo = Snapshots.repository(scratch);
        String range = worktree.baseCommit() + ".." + snapshot.tip();
        int count = Integer.parseInt(git.line(GitCommand.isolated(repo).gitDir(repo).args("rev-list", "--count", "--end-of-options", range),
                "cannot count the sandbox's commits").strip());
        List<String> subjects = new ArrayList<>();
        for (String subject : Git.fields(git.output(GitCommand.isolated(repo).gitDir(repo)
                .args("log", "-z", "--format=%s", "--max-count=" + Changes.MAX_SUBJECTS, "--end-of-options", range), "cannot list the sandbox's commits"))) {
            subjects.add(GitException.printable(subject));
        }
        return new Changes(snapshot.tip(), count, subjects, changedPaths(repo, worktree.baseCommit(), snapshot.tree()),
                changedPaths(repo, snapshot.tip(), snapshot.tree()), snapshot.notes());
    }

    /** The patch (or stat, or names) from the branch's start to the sandbox's files now, uncolored. */
    public void diff(SandboxWorktree worktree, Path scratch, OutputStream out, DiffFormat format) {
        diff(worktree, scratch, out, format, false);
    }

    /**
     * The diff with git's colours if asked. No pager, no external diff, no textconv: a driver the
     * sandbox's {@code .gitattributes} names could not run anyway (the scratch repository defines none).
     */
    public void diff(SandboxWorktree worktree, Path scratch, OutputStream out, DiffFormat format, boolean color) {
        Snapshots.Snapshot snapshot = snapshots.take(worktree, scratch);
        Path repo = Snapshots.repository(scratch);
        git.checked(GitCommand.isolated(repo).gitDir(repo).config("core.quotePath", "false").stdout(out)
                .args("diff", "--no-ext-diff", "--no-textconv", color ? "--color=always" : "--no-color", format.option,
                        "--end-of-options", worktree.baseCommit(), snapshot.tree()), "cannot show the sandbox's changes", null);
    }

    /**
     * Syncs, then merges the sandbox's branch into the branch checked out in the user's work tree:
     * refused before anything changes when it would conflict or when the user's own changes are in
     * the way. The sandbox's uncommitted changes are not part of it (a note says so).
     */
    public MergeResult merge(SandboxWorktree worktree, String sandboxName, Path scratch) {
        String retry = "corral merge " + sandboxName;
        UserRepository user = new UserRepository(git, worktree);
        user.requireNoOperationInProgress(retry);
        String into = user.currentBranch().orElseThrow(() -> new GitException(worktree.repository() + " has no branch checked out (detached HEAD)",
                "check out the branch to merge into (git switch main), then " + retry + " again"));
        Sync sync = sync(worktree, sandboxName);
        List<String> notes = new ArrayList<>(sync.notes());
        noteUncommitted(worktree, scratch, sync.tip(), sandboxName, notes);
        String head = user.head();
        if (user.isAncestor(sync.tip(), head)) return new MergeResult(MergeResult.Kind.ALREADY_UP_TO_DATE, head, sync.tip(), notes);
        UserRepository.Preflight preflight = user.preflight(sync.tip());
        if (!preflight.clean()) {
            throw new MergeConflictException("the sandbox's branch " + worktree.branch() + " conflicts with " + into + " in "
                    + GitException.listed(preflight.conflicts()) + "; nothing was merged",
                    "corral apply " + sandboxName + " to take the changes as uncommitted edits, or resolve on the branch: git merge " + worktree.branch(),
                    preflight.conflicts());
        }
        user.merge(retry, "--no-edit", "-m", "Merge sandbox " + sandboxName + " (branch " + worktree.branch() + ")", "--end-of-options", sync.tip());
        String after = user.head();
        MergeResult.Kind kind = after.equals(sync.tip()) ? MergeResult.Kind.FAST_FORWARD : MergeResult.Kind.MERGE_COMMIT;
        return new MergeResult(kind, after, sync.tip(), notes);
    }

    private void noteUncommitted(SandboxWorktree worktree, Path scratch, String tip, String sandboxName, List<String> notes) {
        Snapshots.Snapshot snapshot = snapshots.take(worktree, scratch, tip);
        List<String> uncommitted = changedPaths(Snapshots.repository(scratch), tip, snapshot.tree());
        if (!uncommitted.isEmpty()) {
            notes.add("not included: the sandbox's uncommitted changes to " + GitException.listed(uncommitted)
                    + " (commit them in the sandbox and merge again, or corral apply " + sandboxName + ")");
        }
    }

    /**
     * Syncs, then takes the sandbox's files as they are now (committed or not) into the user's work
     * tree as staged, uncommitted changes; HEAD does not move. Refused before anything changes on a
     * conflict or when the user's own changes are in the way.
     */
    public ApplyResult apply(SandboxWorktree worktree, String sandboxName, Path scratch) {
        String retry = "corral apply " + sandboxName;
        UserRepository user = new UserRepository(git, worktree);
        user.requireNoOperationInProgress(retry);
        Sync sync = sync(worktree, sandboxName);
        List<String> notes = new ArrayList<>(sync.notes());
        Snapshots.Snapshot snapshot = snapshots.take(worktree, scratch, sync.tip());
        notes.addAll(snapshot.notes());
        String commit = snapshots.commit(scratch, snapshot);
        // the user's index will name these objects, so they must be in the user's repository
        git.checked(Snapshots.fetchFrom(worktree.commonDir(), Snapshots.repository(scratch)).args(Snapshots.SNAPSHOT_REF),
                "cannot copy the sandbox's files into " + worktree.repository(), null);
        String head = user.head();
        UserRepository.Preflight preflight = user.preflight(commit);
        if (!preflight.clean()) {
            throw new MergeConflictException("the sandbox's work conflicts with " + worktree.repository() + " in "
                    + GitException.listed(preflight.conflicts()) + "; nothing was changed",
                    "resolve on the branch: git merge " + worktree.branch() + " (after committing in the sandbox)", preflight.conflicts());
        }
        List<String> files = user.changedPaths(head, preflight.tree());
        if (files.isEmpty()) return new ApplyResult(files, commit, notes);
        user.squash(retry, commit);
        return new ApplyResult(files, commit, notes);
    }

    /**
     * Syncs, deletes the checkout and Corral's ref, and deletes the branch from the user's
     * repository when nothing would be lost (merged into HEAD, or never moved) or when forced —
     * only while it still points at the sandbox's last commit. Refused when the sandbox has
     * uncommitted changes, unless forced.
     */
    public RemoveResult remove(SandboxWorktree worktree, String sandboxName, Path scratch, boolean force) {
        String hidden = Refs.sandbox(sandboxName);
        String branchRef = Refs.branch(worktree.branch());
        UserRepository user = new UserRepository(git, worktree);
        List<String> notes = new ArrayList<>();
        boolean present = Files.exists(worktree.path(), LinkOption.NOFOLLOW_LINKS);
        Optional<String> tip = Optional.empty();
        List<String> uncommitted = List.of();
        try {
            Sync sync = sync(worktree, sandboxName);
            tip = Optional.of(sync.tip());
            notes.addAll(sync.notes());
            if (!force) {
                Snapshots.Snapshot snapshot = snapshots.take(worktree, scratch, sync.tip());
                uncommitted = changedPaths(Snapshots.repository(scratch), sync.tip(), snapshot.tree());
            }
        } catch (GitException e) {
            if (!force) throw withForceFix(e, sandboxName);
            if (present) notes.add("could not read the sandbox's branch (" + e.getMessage() + ")");
            tip = user.commit(hidden);
        }
        if (!uncommitted.isEmpty()) {
            throw new GitException("the sandbox " + sandboxName + " has uncommitted changes to " + GitException.listed(uncommitted)
                    + " in " + worktree.path(), "commit them in the sandbox, take them with corral apply " + sandboxName
                    + ", or corral rm --force " + sandboxName);
        }
        if (!force && tip.isPresent() && !isKeptAfterRemoval(user, worktree, tip.get())) {
            throw new GitException("the sandbox " + sandboxName + "'s commits are only in " + hidden + " (branch " + worktree.branch()
                    + " has moved or is gone, and no other branch has them), and removing the sandbox removes that ref", "merge them (corral merge " + sandboxName
                    + "), keep them on a branch (git branch NAME " + hidden + "), or corral rm --force " + sandboxName);
        }
        deleteCheckout(worktree, notes);
        user.delete(hidden);
        return new RemoveResult(deleteBranch(user, worktree, branchRef, tip, force, notes), notes);
    }

    /**
     * Undoes {@link #create} for a sandbox that never ran: deletes the checkout, and the branch
     * while it is still at its start (nothing of the sandbox's can be lost then).
     */
    public void discard(SandboxWorktree worktree) {
        List<String> notes = new ArrayList<>();
        deleteCheckout(worktree, notes);
        new UserRepository(git, worktree).deleteIf(Refs.branch(worktree.branch()), worktree.baseCommit());
    }

    private static GitException withForceFix(GitException e, String sandboxName) {
        if (e.fix().isPresent() && e.fix().get().contains("--force")) return e;
        return new GitException(e.getMessage(), e.fix().map(f -> f + "; or ").orElse("") + "corral rm --force " + sandboxName, e);
    }

    /** Deletes W, only when it looks like the checkout Corral made (not, say, a record pointing elsewhere). */
    private static void deleteCheckout(SandboxWorktree worktree, List<String> notes) {
        Path w = worktree.path();
        if (!Files.exists(w, LinkOption.NOFOLLOW_LINKS)) return;
        if (!Files.isDirectory(w, LinkOption.NOFOLLOW_LINKS)
                || !Files.isRegularFile(worktree.gitDir().resolve("objects/info/alternates"), LinkOption.NOFOLLOW_LINKS)) {
            notes.add("did not delete " + w + ": it does not look like a sandbox's checkout; remove it yourself if nothing uses it");
            return;
        }
        try {
            Files2.deleteTree(w);
        } catch (IOException e) {
            notes.add("could not delete all of " + w + " (" + e.getMessage() + "); remove the rest yourself");
        }
    }

    /** Whether the sandbox's last commit stays reachable without Corral's ref: nothing new, merged, or on a branch or tag. */
    private static boolean isKeptAfterRemoval(UserRepository user, SandboxWorktree worktree, String tip) {
        return tip.equals(worktree.baseCommit()) || isMergedIntoHead(user, tip) || user.isOnABranchOrTag(tip);
    }

    private static boolean deleteBranch(UserRepository user, SandboxWorktree worktree, String branchRef, Optional<String> tip, boolean force,
                                        List<String> notes) {
        String branch = worktree.branch();
        Optional<String> current = user.commit(branchRef);
        if (current.isEmpty()) return false;
        String last = tip.orElse(current.get());
        Optional<Path> checkedOut = user.checkedOutIn(branchRef);
        if (checkedOut.isPresent()) {
            notes.add("kept branch " + branch + ": it is checked out in " + checkedOut.get());
            return false;
        }
        if (!current.get().equals(last)) {
            notes.add("kept branch " + branch + ": it has moved on from the sandbox's last commit; git branch -D " + branch + " deletes it");
            return false;
        }
        boolean merged = last.equals(worktree.baseCommit()) || isMergedIntoHead(user, last);
        if (!merged && !force) {
            notes.add("kept branch " + branch + ": not merged; git branch -D " + branch + " deletes it");
            return false;
        }
        if (!user.deleteIf(branchRef, last)) {
            notes.add("kept branch " + branch + ": it changed while Corral deleted it");
            return false;
        }
        return true;
    }

    private static boolean isMergedIntoHead(UserRepository user, String commit) {
        try {
            return user.isAncestor(commit, user.head());
        } catch (GitException e) {
            return false;
        }
    }

    private List<String> changedPaths(Path repo, String from, String to) {
        return Git.fields(git.output(GitCommand.isolated(repo).gitDir(repo)
                .args("diff-tree", "-r", "-z", "--name-only", "--no-renames", "--end-of-options", from, to), "cannot compare the sandbox's files"));
    }

    private static String abbreviated(String commit) {
        return commit.substring(0, 12);
    }
}
