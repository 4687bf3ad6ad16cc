package dev.corral.git;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sandbox's commits come into the user's repository; the user's branch moves only forward, and only when it is free. */
class WorktreeSyncTest extends SandboxOnBranch {
    WorktreeSyncTest() {
        super(UserIdentity.NOT_SET);
    }

    @Test
    void theUsersBranchIsFastForwardedToTheSandboxsCommits() throws IOException {
        commitInSandbox("c.txt", "sea\n");
        String tip = commitInSandbox("d.txt", "dee\n");

        Sync sync = worktrees.sync(worktree, "s1");

        assertEquals(new Sync(tip, true, List.of()), sync);
        assertEquals(tip, fixture.ref(repo, "refs/heads/fix"));
        assertEquals(tip, fixture.ref(repo, "refs/corral/sandboxes/s1"));
        assertEquals("commit", fixture.git(repo, "cat-file", "-t", tip), "the objects are in the user's repository now");
        assertEquals("", fixture.git(repo, "status", "--porcelain"), "the user's files are untouched");
    }

    @Test
    void withoutNewCommitsNothingMoves() {
        Sync sync = worktrees.sync(worktree, "s1");
        assertEquals(worktree.baseCommit(), sync.tip());
        assertEquals(worktree.baseCommit(), fixture.ref(repo, "refs/heads/fix"));
        assertEquals(sync, worktrees.sync(worktree, "s1"));
    }

    @Test
    void aBranchTheUserCommittedToIsLeftWhereItIs() throws IOException {
        String tip = commitInSandbox("c.txt", "sea\n");
        String mine = commitByTheUserOnBranchFix("mine");

        Sync sync = worktrees.sync(worktree, "s1");

        assertEquals(tip, sync.tip());
        assertEquals(mine, fixture.ref(repo, "refs/heads/fix"));
        assertEquals(tip, fixture.ref(repo, "refs/corral/sandboxes/s1"));
        assertEquals(1, sync.notes().size());
        assertTrue(sync.notes().getFirst().contains("has commits the sandbox's branch does not"), sync.notes().toString());
        assertTrue(sync.notes().getFirst().contains("refs/corral/sandboxes/s1"));
    }

    @Test
    void aBranchCheckedOutByTheUserIsNotMovedUnderTheirFiles() throws IOException {
        fixture.git(repo, "checkout", "-q", "fix");
        commitInSandbox("c.txt", "sea\n");

        Sync sync = worktrees.sync(worktree, "s1");

        assertEquals(worktree.baseCommit(), fixture.ref(repo, "refs/heads/fix"));
        assertEquals("", fixture.git(repo, "status", "--porcelain"));
        assertTrue(sync.notes().getFirst().contains("is checked out in " + repo), sync.notes().toString());
        assertTrue(sync.notes().getFirst().contains("git merge --ff-only refs/corral/sandboxes/s1"));
    }

    @Test
    void aBranchDeletedInsideFallsBackToTheLastKnownCommit() throws IOException {
        String tip = commitInSandbox("c.txt", "sea\n");
        worktrees.sync(worktree, "s1");
        fixture.git(checkout, "checkout", "-q", "--detach");
        fixture.git(checkout, "branch", "-q", "-D", "fix");

        Sync sync = worktrees.sync(worktree, "s1");

        assertFalse(sync.branchFound());
        assertEquals(tip, sync.tip());
        assertTrue(sync.notes().getFirst().contains("has no branch fix any more"), sync.notes().toString());
        assertEquals(tip, fixture.ref(repo, "refs/heads/fix"));
    }

    @Test
    void aBranchRenamedInsideBeforeAnySyncFallsBackToTheBase() {
        fixture.git(checkout, "branch", "-q", "-m", "fix", "renamed");
        Sync sync = worktrees.sync(worktree, "s1");
        assertFalse(sync.branchFound());
        assertEquals(worktree.baseCommit(), sync.tip());
        assertTrue(sync.notes().getFirst().contains("the commit it started at"));
    }

    @Test
    void aBranchTheUserDeletedIsNotRecreated() throws IOException {
        String tip = commitInSandbox("c.txt", "sea\n");
        fixture.git(repo, "branch", "-q", "-D", "fix");
        Sync sync = worktrees.sync(worktree, "s1");
        assertEquals(tip, sync.tip());
        assertEquals(null, fixture.ref(repo, "refs/heads/fix"));
        assertTrue(sync.notes().getFirst().contains("no longer exists"));
    }

    @Test
    void aBranchRewoundInsideLeavesTheUsersBranchAhead() throws IOException {
        String first = commitInSandbox("c.txt", "sea\n");
        worktrees.sync(worktree, "s1");
        fixture.git(checkout, "reset", "-q", "--hard", worktree.baseCommit());
        Sync sync = worktrees.sync(worktree, "s1");
        assertEquals(worktree.baseCommit(), sync.tip());
        assertEquals(first, fixture.ref(repo, "refs/heads/fix"));
        assertEquals(1, sync.notes().size());
    }

    @Test
    void aSha256RepositorySyncs() throws IOException {
        Path sha = fixture.sha256Repository("sha");
        Path shaCheckout = fixture.root.resolve("worktrees/s2");
        SandboxWorktree shaWorktree = worktrees.create(fixture.inspect(sha), "fix", shaCheckout);
        GitFixture.write(shaCheckout.resolve("b"), "b\n");
        String tip = fixture.commitAll(shaCheckout, "b");
        assertEquals(tip, worktrees.sync(shaWorktree, "s2").tip());
        assertEquals(tip, fixture.ref(sha, "refs/heads/fix"));
    }

    @Test
    void anInvalidSandboxNameNeverBecomesARef() {
        for (String name : List.of("", "--upload-pack=x", "a..b", "UPPER", "x.lock", "a/b", "a b")) {
            assertThrows(GitException.class, () -> worktrees.sync(worktree, name), name);
        }
    }

    @Test
    void aMissingCheckoutIsExplained() throws IOException {
        dev.corral.support.Files2.deleteTree(checkout);
        GitException e = assertThrows(GitException.class, () -> worktrees.sync(worktree, "s1"));
        assertEquals("the sandbox's checkout " + checkout + " is gone", e.getMessage());
    }
}
