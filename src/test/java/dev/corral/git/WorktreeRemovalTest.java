package dev.corral.git;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code corral rm} on a branch sandbox: the checkout goes; the branch goes only when nothing would be lost, or when forced. */
class WorktreeRemovalTest extends SandboxOnBranch {
    WorktreeRemovalTest() {
        super(UserIdentity.SET);
    }

    private void assertCheckoutGone() {
        assertFalse(Files.exists(checkout, LinkOption.NOFOLLOW_LINKS));
        assertNull(fixture.ref(repo, "refs/corral/sandboxes/s1"));
    }

    @Test
    void aMergedBranchIsDeletedWithTheCheckout() throws IOException {
        commitInSandbox("c.txt", "sea\n");
        worktrees.merge(worktree, "s1", scratch);

        RemoveResult result = worktrees.remove(worktree, "s1", scratch, false);

        assertEquals(new RemoveResult(true, List.of()), result);
        assertCheckoutGone();
        assertNull(fixture.ref(repo, "refs/heads/fix"));
        assertEquals("sea\n", Files.readString(repo.resolve("c.txt")));
    }

    @Test
    void aBranchWithNoWorkIsDeleted() {
        assertTrue(worktrees.remove(worktree, "s1", scratch, false).branchDeleted());
        assertCheckoutGone();
        assertNull(fixture.ref(repo, "refs/heads/fix"));
    }

    @Test
    void anUnmergedBranchIsKeptWithItsCommits() throws IOException {
        String tip = commitInSandbox("c.txt", "sea\n");

        RemoveResult result = worktrees.remove(worktree, "s1", scratch, false);

        assertEquals(new RemoveResult(false, List.of("kept branch fix: not merged; git branch -D fix deletes it")), result);
        assertCheckoutGone();
        assertEquals(tip, fixture.ref(repo, "refs/heads/fix"), "the sandbox's last commits were synced into the branch first");
    }

    @Test
    void forceDeletesAnUnmergedBranch() throws IOException {
        commitInSandbox("c.txt", "sea\n");
        assertTrue(worktrees.remove(worktree, "s1", scratch, true).branchDeleted());
        assertCheckoutGone();
        assertNull(fixture.ref(repo, "refs/heads/fix"));
    }

    @Test
    void uncommittedWorkIsNotThrownAwayWithoutForce() throws IOException {
        GitFixture.write(checkout.resolve("a.txt"), "uncommitted\n");
        GitFixture.write(checkout.resolve("new.txt"), "untracked\n");

        GitException e = assertThrows(GitException.class, () -> worktrees.remove(worktree, "s1", scratch, false));

        assertEquals("the sandbox s1 has uncommitted changes to a.txt, new.txt in " + checkout, e.getMessage());
        assertTrue(e.fix().orElseThrow().endsWith("or corral rm --force s1"), e.fix().orElseThrow());
        assertTrue(Files.isRegularFile(checkout.resolve("new.txt")));
        assertEquals(worktree.baseCommit(), fixture.ref(repo, "refs/heads/fix"));
    }

    @Test
    void forceRemovesUncommittedWork() throws IOException {
        GitFixture.write(checkout.resolve("a.txt"), "uncommitted\n");
        assertTrue(worktrees.remove(worktree, "s1", scratch, true).branchDeleted());
        assertCheckoutGone();
    }

    @Test
    void theUsersOwnCommitsOnTheBranchKeepItEvenWhenForced() throws IOException {
        commitInSandbox("c.txt", "sea\n");
        worktrees.sync(worktree, "s1");
        String mine = commitByTheUserOnBranchFix("mine");

        RemoveResult result = worktrees.remove(worktree, "s1", scratch, true);

        assertFalse(result.branchDeleted());
        assertEquals("kept branch fix: it has moved on from the sandbox's last commit; git branch -D fix deletes it", result.notes().getLast());
        assertEquals(mine, fixture.ref(repo, "refs/heads/fix"));
    }

    @Test
    void commitsOnlyCorralsRefStillHoldsAreNotDroppedWithoutForce() throws IOException {
        String tip = commitInSandbox("c.txt", "sea\n");
        fixture.git(repo, "branch", "-q", "-D", "fix");

        GitException e = assertThrows(GitException.class, () -> worktrees.remove(worktree, "s1", scratch, false));

        assertEquals("the sandbox s1's commits are only in refs/corral/sandboxes/s1 (branch fix has moved or is gone, and no other branch has them), "
                + "and removing the sandbox removes that ref", e.getMessage());
        assertTrue(e.fix().orElseThrow().contains("git branch NAME refs/corral/sandboxes/s1"));
        assertEquals(tip, fixture.ref(repo, "refs/corral/sandboxes/s1"));
        assertTrue(Files.exists(checkout));
        fixture.git(repo, "branch", "kept", "refs/corral/sandboxes/s1");
        assertFalse(worktrees.remove(worktree, "s1", scratch, false).branchDeleted());
        assertCheckoutGone();
        assertEquals(tip, fixture.ref(repo, "refs/heads/kept"));
    }

    @Test
    void aBranchTheUserCommittedToKeepsTheSandboxsCommitsUnlessForced() throws IOException {
        commitInSandbox("c.txt", "sea\n");
        commitByTheUserOnBranchFix("mine, beside the sandbox's work");

        assertThrows(GitException.class, () -> worktrees.remove(worktree, "s1", scratch, false));
        RemoveResult forced = worktrees.remove(worktree, "s1", scratch, true);
        assertFalse(forced.branchDeleted(), "the user's own commit keeps the branch");
        assertCheckoutGone();
    }

    @Test
    void aBranchCheckedOutByTheUserIsKept() throws IOException {
        fixture.git(repo, "checkout", "-q", "fix");
        RemoveResult result = worktrees.remove(worktree, "s1", scratch, true);
        assertFalse(result.branchDeleted());
        assertEquals(List.of("kept branch fix: it is checked out in " + repo), result.notes());
        assertEquals("fix", fixture.git(repo, "symbolic-ref", "--short", "HEAD"));
    }

    @Test
    void aTamperedCheckoutNeedsForceAndIsThenRemoved() throws IOException {
        Files.writeString(checkout.resolve(".git/config"), "[core]\n\tfsmonitor = touch " + fixture.root.resolve("ran") + "\n", StandardOpenOption.APPEND);

        GitException e = assertThrows(GitException.class, () -> worktrees.remove(worktree, "s1", scratch, false));
        assertTrue(e.getMessage().contains("not as Corral made it"), e.getMessage());
        assertTrue(Files.exists(checkout));

        RemoveResult result = worktrees.remove(worktree, "s1", scratch, true);
        assertCheckoutGone();
        assertTrue(result.branchDeleted(), "the branch never moved from its start");
        assertTrue(result.notes().getFirst().startsWith("could not read the sandbox's branch"), result.notes().toString());
        GitFixture.assertAbsent(fixture.root.resolve("ran"));
    }

    @Test
    void aCheckoutAlreadyGoneIsCleanedUpWithForce() throws IOException {
        commitInSandbox("c.txt", "sea\n");
        worktrees.sync(worktree, "s1");
        dev.corral.support.Files2.deleteTree(checkout);

        assertThrows(GitException.class, () -> worktrees.remove(worktree, "s1", scratch, false));
        RemoveResult result = worktrees.remove(worktree, "s1", scratch, true);

        assertTrue(result.branchDeleted());
        assertNull(fixture.ref(repo, "refs/corral/sandboxes/s1"));
    }

    @Test
    void foldersTheSandboxMadeUnreadableAreRemovedToo() throws IOException {
        Path locked = Files.createDirectories(checkout.resolve("locked/inner"));
        GitFixture.write(locked.resolve("f"), "x\n");
        fixture.commitAll(checkout, "locked");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        Files.setPosixFilePermissions(checkout.resolve("locked"), PosixFilePermissions.fromString("r-x------"));
        worktrees.remove(worktree, "s1", scratch, true);
        assertCheckoutGone();
    }

    @Test
    void aRecordPointingAtAFolderThatIsNoCheckoutDeletesNothingThere() throws IOException {
        Path elsewhere = Files.createDirectories(fixture.root.resolve("precious"));
        GitFixture.write(elsewhere.resolve("keep.txt"), "keep\n");
        SandboxWorktree wrong = new SandboxWorktree(repo, repo.resolve(".git"), elsewhere, "fix", worktree.baseCommit(), worktree.baseBranch());

        RemoveResult result = worktrees.remove(wrong, "s1", scratch, true);

        assertTrue(Files.isRegularFile(elsewhere.resolve("keep.txt")));
        assertTrue(result.notes().stream().anyMatch(n -> n.startsWith("did not delete " + elsewhere)), result.notes().toString());
    }
}
