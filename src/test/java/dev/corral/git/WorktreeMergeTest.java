package dev.corral.git;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code corral merge}: the sandbox's commits into the user's current branch, or nothing changed at all. */
class WorktreeMergeTest extends SandboxOnBranch {
    WorktreeMergeTest() {
        super(UserIdentity.SET);
    }

    @Test
    void aBranchTheUserDidNotMoveIsFastForwarded() throws IOException {
        String tip = commitInSandbox("c.txt", "sea\n");

        MergeResult result = worktrees.merge(worktree, "s1", scratch);

        assertEquals(new MergeResult(MergeResult.Kind.FAST_FORWARD, tip, tip, List.of()), result);
        assertEquals(tip, fixture.head(repo));
        assertEquals("sea\n", Files.readString(repo.resolve("c.txt")));
        assertEquals("", fixture.git(repo, "status", "--porcelain"));
        assertTrue(result.summary().startsWith("fast-forwarded"));
    }

    @Test
    void divergedWorkGetsAMergeCommitNamingTheSandbox() throws IOException {
        String tip = commitInSandbox("c.txt", "sea\n");
        String mine = commitOnMain("d.txt", "dee\n");

        MergeResult result = worktrees.merge(worktree, "s1", scratch);

        assertEquals(MergeResult.Kind.MERGE_COMMIT, result.kind());
        assertEquals(fixture.head(repo), result.head());
        assertEquals(mine + " " + tip, fixture.git(repo, "log", "-1", "--format=%P"));
        assertEquals("Merge sandbox s1 (branch fix)", fixture.git(repo, "log", "-1", "--format=%s"));
        assertEquals("Ada Lovelace", fixture.git(repo, "log", "-1", "--format=%an"), "the user's own identity");
        assertTrue(Files.exists(repo.resolve("c.txt")) && Files.exists(repo.resolve("d.txt")));
    }

    @Test
    void nothingNewIsAlreadyUpToDate() {
        String head = fixture.head(repo);
        MergeResult result = worktrees.merge(worktree, "s1", scratch);
        assertEquals(MergeResult.Kind.ALREADY_UP_TO_DATE, result.kind());
        assertEquals(head, fixture.head(repo));
    }

    @Test
    void aConflictChangesNothingAndNamesTheFiles() throws IOException {
        commitInSandbox("a.txt", "one\nSANDBOX\nthree\n");
        commitOnMain("a.txt", "one\nUSER\nthree\n");
        GitFixture.write(repo.resolve("src/b.txt"), "an uncommitted edit of the user's\n");
        GitFixture.write(repo.resolve("untracked.txt"), "x\n");

        MergeConflictException e = assertRefusedChangingNothing(MergeConflictException.class, () -> worktrees.merge(worktree, "s1", scratch));

        assertEquals(List.of("a.txt"), e.files());
        assertEquals("the sandbox's branch fix conflicts with main in a.txt; nothing was merged", e.getMessage());
        assertEquals("corral apply s1 to take the changes as uncommitted edits, or resolve on the branch: git merge fix", e.fix().orElseThrow());
        assertFalse(Files.exists(repo.resolve(".git/MERGE_HEAD")));
    }

    @Test
    void theUsersUncommittedChangesInTheWayStopItBeforeAnythingChanges() throws IOException {
        commitInSandbox("a.txt", "one\nSANDBOX\nthree\n");
        GitFixture.write(repo.resolve("a.txt"), "one\ntwo\nthree\nmine, uncommitted\n");

        GitException e = assertRefusedChangingNothing(GitException.class, () -> worktrees.merge(worktree, "s1", scratch));

        assertEquals("your uncommitted changes in " + repo + " to a.txt would be overwritten; nothing was merged", e.getMessage());
        assertEquals("commit or stash them (git stash), then corral merge s1 again", e.fix().orElseThrow());
    }

    @Test
    void stagedChangesBlockAMergeCommitBeforeAnythingChanges() throws IOException {
        commitInSandbox("c.txt", "sea\n");
        commitOnMain("d.txt", "dee\n");
        GitFixture.write(repo.resolve("a.txt"), "staged\n");
        fixture.git(repo, "add", "a.txt");

        GitException e = assertRefusedChangingNothing(GitException.class, () -> worktrees.merge(worktree, "s1", scratch));

        assertTrue(e.getMessage().contains("would be overwritten; nothing was merged"), e.getMessage());
    }

    @Test
    void anUntrackedFileInTheWayStopsItBeforeAnythingChanges() throws IOException {
        commitInSandbox("c.txt", "sea\n");
        GitFixture.write(repo.resolve("c.txt"), "the user's own c\n");
        GitException e = assertRefusedChangingNothing(GitException.class, () -> worktrees.merge(worktree, "s1", scratch));
        assertTrue(e.getMessage().contains("c.txt would be overwritten"), e.getMessage());
    }

    @Test
    void aMergeInProgressIsRefused() throws IOException {
        commitInSandbox("c.txt", "sea\n");
        fixture.git(repo, "checkout", "-q", "-b", "other");
        commitOnMain("a.txt", "other\n");
        fixture.git(repo, "checkout", "-q", "main");
        commitOnMain("a.txt", "main\n");
        assertEquals(1, fixture.run(repo, List.of("merge", "other")).exit());

        GitException e = assertRefusedChangingNothing(GitException.class, () -> worktrees.merge(worktree, "s1", scratch));

        assertEquals(repo + " is in the middle of a merge", e.getMessage());
        assertTrue(e.fix().orElseThrow().contains("git merge --abort"));
    }

    @Test
    void aDetachedHeadIsRefused() throws IOException {
        commitInSandbox("c.txt", "sea\n");
        fixture.git(repo, "checkout", "-q", "--detach");
        GitException e = assertThrows(GitException.class, () -> worktrees.merge(worktree, "s1", scratch));
        assertTrue(e.getMessage().contains("detached HEAD"));
    }

    @Test
    void uncommittedWorkInTheSandboxIsLeftOutWithANote() throws IOException {
        String tip = commitInSandbox("c.txt", "sea\n");
        GitFixture.write(checkout.resolve("a.txt"), "uncommitted in the sandbox\n");

        MergeResult result = worktrees.merge(worktree, "s1", scratch);

        assertEquals(tip, fixture.head(repo));
        assertEquals("one\ntwo\nthree\n", Files.readString(repo.resolve("a.txt")));
        assertEquals(1, result.notes().size());
        assertTrue(result.notes().getFirst().startsWith("not included: the sandbox's uncommitted changes to a.txt"), result.notes().toString());
    }

    @Test
    void theUsersHooksAndFsmonitorDoNotRun() throws IOException {
        commitInSandbox("c.txt", "sea\n");
        commitOnMain("d.txt", "dee\n");
        Path marker = fixture.root.resolve("ran");
        for (String hook : List.of("pre-merge-commit", "prepare-commit-msg", "commit-msg", "post-merge", "post-commit", "reference-transaction",
                "post-checkout", "post-index-change")) {
            GitFixture.markerScript(repo.resolve(".git/hooks/" + hook), marker);
        }
        fixture.git(repo, "config", "core.fsmonitor", GitFixture.markerScript(fixture.root.resolve("monitor.sh"), marker).toString());

        assertEquals(MergeResult.Kind.MERGE_COMMIT, worktrees.merge(worktree, "s1", scratch).kind());
        GitFixture.assertAbsent(marker);
    }

    @Test
    void theMergeGoesIntoTheBranchOfTheWorkTreeItCameFrom() throws IOException {
        Path linked = fixture.root.resolve("linked");
        fixture.git(repo, "worktree", "add", "-q", "-b", "other", linked.toString());
        Path linkedCheckout = fixture.root.resolve("worktrees/s2");
        SandboxWorktree fromLinked = worktrees.create(fixture.inspect(linked), "fix2", linkedCheckout);
        GitFixture.write(linkedCheckout.resolve("e.txt"), "e\n");
        String tip = fixture.commitAll(linkedCheckout, "e");
        String main = fixture.head(repo);

        worktrees.merge(fromLinked, "s2", fixture.root.resolve("state/s2/git"));

        assertEquals(tip, fixture.ref(repo, "refs/heads/other"));
        assertEquals(main, fixture.head(repo));
    }
}
