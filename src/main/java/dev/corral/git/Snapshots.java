package dev.corral.git;

import dev.corral.support.Files2;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The sandbox's current files as a git tree, made without W's index and without writing into W/.git:
 * in a Corral-owned bare repository in the scratch folder ({@code snapshot.git}), which borrows the
 * user's objects, fetches the sandbox's branch from W and keeps its own index, so files unchanged
 * since the last snapshot are not read again. It reads no system or global settings, so no filter,
 * diff driver or textconv named by the sandbox's {@code .gitattributes} can run; git stores symbolic
 * links as links without following them and skips FIFOs, sockets and devices; a folder with a
 * {@code .git} of its own is recorded as a gitlink (its HEAD is read, nothing in it runs).
 */
final class Snapshots {
    static final String TIP_REF = "refs/corral/tip";
    static final String SNAPSHOT_REF = "refs/corral/snapshot";
    private static final Duration READ_FILES = Duration.ofMinutes(10);
    /** How long {@code git add} may run before Corral looks for FIFOs it could be waiting on. */
    static final Duration SUSPICIOUSLY_LONG = Duration.ofSeconds(3);

    /**
     * @param tip          the sandbox's branch tip the files were compared with
     * @param branchFound  whether W still had the branch (if not, {@code tip} is a fallback)
     * @param tree         the tree of W's files
     * @param notes        files git could not read, and the like
     */
    record Snapshot(String tip, boolean branchFound, String tree, List<String> notes) {
    }

    private final Git git;

    Snapshots(Git git) {
        this.git = git;
    }

    static Path repository(Path scratch) {
        return scratch.resolve("snapshot.git");
    }

    /**
     * Snapshots W's files on top of {@code tip}, which the user's repository must already have (after
     * a sync); W's branch is not fetched again.
     */
    Snapshot take(SandboxWorktree worktree, Path scratch, String tip) {
        Path repo = prepare(worktree, scratch);
        SandboxCheckout.verify(git, worktree);
        return snapshot(worktree, repo, tip, true, new ArrayList<>());
    }

    /** Snapshots W's files on top of the tip of W's branch, fetched into the scratch repository only. */
    Snapshot take(SandboxWorktree worktree, Path scratch) {
        Path repo = prepare(worktree, scratch);
        Path gitDir = SandboxCheckout.verify(git, worktree);
        List<String> notes = new ArrayList<>();
        Git.Result fetched = git.run(fetchFrom(repo, gitDir).args("+" + Refs.branch(worktree.branch()) + ":" + TIP_REF));
        String tip;
        boolean found = true;
        if (fetched.ok()) {
            tip = commitAt(repo, TIP_REF, "the sandbox's branch " + worktree.branch());
        } else if (isMissingRef(fetched)) {
            found = false;
            tip = worktree.baseCommit();
            notes.add("the sandbox's repository has no branch " + worktree.branch() + " any more; its files were compared with the branch's start");
        } else {
            throw new GitException("cannot read the sandbox's branch " + worktree.branch() + " from " + worktree.path() + ": " + fetched.reason(),
                    "corral rm --force removes the sandbox if its repository is broken");
        }
        return snapshot(worktree, repo, tip, found, notes);
    }

    /** A commit of the snapshot's tree on top of its tip, for {@code git merge --squash}; it lives in the scratch repository. */
    String commit(Path scratch, Snapshot snapshot) {
        Path repo = repository(scratch);
        String commit = git.line(GitCommand.isolated(repo).gitDir(repo)
                .env("GIT_AUTHOR_NAME", "Corral").env("GIT_AUTHOR_EMAIL", "corral@localhost")
                .env("GIT_COMMITTER_NAME", "Corral").env("GIT_COMMITTER_EMAIL", "corral@localhost")
                .args("commit-tree", "-p", snapshot.tip(), "-m", "Snapshot of a sandbox's files", "--end-of-options", snapshot.tree()),
                "cannot record the sandbox's files");
        git.output(GitCommand.isolated(repo).gitDir(repo).args("update-ref", "--end-of-options", SNAPSHOT_REF, commit), "cannot record the sandbox's files");
        return commit;
    }

    /**
     * A fetch into {@code into} from a local repository through {@code git upload-pack --strict}
     * (exactly that folder: without it git would also try {@code from/.git}, which the agent can
     * create), with the objects checked as {@code git fsck} would: a {@code .gitmodules} with a
     * submodule name or URL made to attack a later {@code git submodule update} is refused.
     */
    static GitCommand fetchFrom(Path into, Path from) {
        return GitCommand.isolated(into).gitDir(into).localTransportOnly().config("fetch.fsckObjects", "true")
                .args("fetch", "--quiet", "--no-tags", "--no-recurse-submodules", "--no-write-fetch-head", "--no-auto-gc",
                        "--upload-pack=git upload-pack --strict", "--end-of-options", from.toString());
    }

    static boolean isMissingRef(Git.Result fetched) {
        return fetched.stderr().contains("couldn't find remote ref");
    }

    private Snapshot snapshot(SandboxWorktree worktree, Path repo, String tip, boolean found, List<String> notes) {
        Path index = repo.resolve("index");
        // -m keeps the stat data of entries that match, so only files changed since the last snapshot are read again
        Git.Result read = git.run(files(worktree, repo, index).args("read-tree", "-m", "--end-of-options", tip));
        if (!read.ok()) {
            deleteIfPresent(index);
            git.output(files(worktree, repo, index).args("read-tree", "--end-of-options", tip), "cannot read the sandbox's branch");
        }
        WorkTreeHazards.Found[] hazards = {null};
        Git.Result added = git.run(add(worktree, repo, index, List.of())
                .watch(SUSPICIOUSLY_LONG, () -> (hazards[0] = WorkTreeHazards.scan(worktree.path())).any()));
        if (added.exit() == Git.Result.ABANDONED) {
            deleteIfPresent(repo.resolve("index.lock")); // the stopped git's, should it have left it
            notes.addAll(hazards[0].notes());
            added = git.run(add(worktree, repo, index, hazards[0].folders()));
        }
        if (added.exit() > 1) throw new GitException("cannot read the sandbox's files in " + worktree.path() + ": " + added.reason(), null);
        for (String error : added.errors()) notes.add("not included: " + error);
        String tree = git.line(files(worktree, repo, index).args("write-tree"), "cannot record the sandbox's files");
        return new Snapshot(tip, found, tree, List.copyOf(notes));
    }

    /**
     * {@code git add --all} of W's files into the scratch index, leaving out the given folders. Run
     * watched: when it takes longer than usual, the files are looked through for what could make it
     * wait forever (see {@link WorkTreeHazards}); if something is found, it is stopped and run again
     * without those folders.
     */
    private static GitCommand add(SandboxWorktree worktree, Path repo, Path index, List<String> leaveOut) {
        GitCommand add = files(worktree, repo, index).config("advice.addEmbeddedRepo", "false").timeout(READ_FILES)
                .args("add", "--all", "--ignore-errors", "--", ".");
        for (String folder : leaveOut) add.args(":(exclude,literal)" + folder);
        return add;
    }

    /** A command on W's files with the scratch repository's index and objects; it runs in W, which must be a real folder. */
    private static GitCommand files(SandboxWorktree worktree, Path repo, Path index) {
        return GitCommand.isolated(worktree.path()).gitDir(repo).workTree(worktree.path()).env("GIT_INDEX_FILE", index.toString())
                .config("core.autocrlf", "false").config("core.symlinks", "true").config("core.quotePath", "false");
    }

    private String commitAt(Path repo, String ref, String what) {
        Git.Result commit = git.run(GitCommand.isolated(repo).gitDir(repo).args("rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}"));
        if (!commit.ok()) throw new GitException(what + " does not point at a commit", "corral rm --force removes the sandbox if its repository is broken");
        return commit.stdout().strip();
    }

    /** The scratch repository, made on first use; its alternates follow the user's object folders each time. */
    private Path prepare(SandboxWorktree worktree, Path scratch) {
        Path repo = repository(scratch);
        try {
            if (!Files.isDirectory(repo.resolve("objects"), LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(scratch);
                deleteIfPresent(repo);
                git.output(GitCommand.isolated(scratch).args("init", "--quiet", "--bare", "--template=",
                        "--object-format=" + Refs.objectFormat(worktree.baseCommit()), "--", repo.toString()), "cannot prepare the scratch repository");
                git.output(GitCommand.isolated(repo).gitDir(repo).args("config", "gc.auto", "0"), "cannot prepare the scratch repository");
            }
            Path info = Files.createDirectories(repo.resolve("objects/info"));
            Files.writeString(info.resolve("alternates"), ObjectDirectories.alternatesFile(ObjectDirectories.of(worktree.commonDir())));
        } catch (IOException e) {
            throw new GitException("cannot prepare the scratch repository " + repo + ": " + e.getMessage(), null, e);
        }
        return repo;
    }

    private static void deleteIfPresent(Path path) {
        try {
            Files2.deleteTree(path);
        } catch (IOException e) {
            throw new GitException("cannot clear " + path + ": " + e.getMessage(), null, e);
        }
    }
}
