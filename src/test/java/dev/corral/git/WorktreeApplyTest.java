package dev.corral.git;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code corral apply}: the sandbox's files as they are, as staged changes in the user's work tree;
 * HEAD stays. The user here has no git identity: apply makes no commit and needs none.
 */
class WorktreeApplyTest extends SandboxOnBranch {
    WorktreeApplyTest() {
        super(UserIdentity.NOT_SET);
    }

    @Test
    void committedAndUncommittedWorkArrivesStagedWithHeadUnmoved() throws IOException {
        sandboxWorkCommittedAndNot();
        String head = fixture.head(repo);

        ApplyResult result = worktrees.apply(worktree, "s1", scratch);

        assertEquals(List.of("a.txt", "c.txt", "new.txt", "src/b.txt"), result.files());
        assertEquals(head, fixture.head(repo));
        assertEquals("M  a.txt\nA  c.txt\nA  new.txt\nD  src/b.txt", fixture.git(repo, "status", "--porcelain"));
        assertEquals("one\nTWO\nthree\n", Files.readString(repo.resolve("a.txt")));
        assertEquals("new\n", Files.readString(repo.resolve("new.txt")));
        assertFalse(Files.exists(repo.resolve("src/b.txt")));
        assertEquals("commit", fixture.git(repo, "cat-file", "-t", result.snapshot()), "the objects the index names are in the user's repository");
        assertEquals("", fixture.git(repo, "fsck", "--no-dangling", "--connectivity-only"));
        assertTrue(result.summary().contains("4 files"));
    }

    @Test
    void workOnTopOfTheUsersNewerCommitsIsStagedToo() throws IOException {
        sandboxWorkCommittedAndNot();
        GitFixture.write(repo.resolve("d.txt"), "dee\n");
        String head = fixture.commitAll(repo, "user's d");

        ApplyResult result = worktrees.apply(worktree, "s1", scratch);

        assertEquals(List.of("a.txt", "c.txt", "new.txt", "src/b.txt"), result.files());
        assertEquals(head, fixture.head(repo));
        assertEquals("dee\n", Files.readString(repo.resolve("d.txt")));
        assertEquals("M  a.txt\nA  c.txt\nA  new.txt\nD  src/b.txt", fixture.git(repo, "status", "--porcelain"));
    }

    @Test
    void aConflictChangesNothing() throws IOException {
        GitFixture.write(checkout.resolve("a.txt"), "one\nSANDBOX\nthree\n");
        GitFixture.write(repo.resolve("a.txt"), "one\nUSER\nthree\n");
        fixture.commitAll(repo, "user");

        MergeConflictException e = assertRefusedChangingNothing(MergeConflictException.class, () -> worktrees.apply(worktree, "s1", scratch));

        assertEquals(List.of("a.txt"), e.files());
        assertTrue(e.fix().orElseThrow().contains("git merge fix"));
        fixture.assertNoStagedChanges(repo);
    }

    @Test
    void theUsersOwnChangesInTheWayStopItBeforeAnythingChanges() throws IOException {
        GitFixture.write(checkout.resolve("a.txt"), "one\nSANDBOX\nthree\n");
        GitFixture.write(repo.resolve("a.txt"), "mine, uncommitted\n");

        GitException e = assertRefusedChangingNothing(GitException.class, () -> worktrees.apply(worktree, "s1", scratch));

        assertTrue(e.getMessage().contains("a.txt would be overwritten"), e.getMessage());
        assertEquals("commit or stash them (git stash), then corral apply s1 again", e.fix().orElseThrow());
    }

    @Test
    void nothingToApplyChangesNothing() {
        ApplyResult result = worktrees.apply(worktree, "s1", scratch);
        assertEquals(List.of(), result.files());
        assertTrue(result.summary().startsWith("nothing to apply"));
        assertEquals("", fixture.git(repo, "status", "--porcelain"));
    }

    @Test
    void aLinkArrivesAsALinkNotAsWhatItPointsAt() throws IOException {
        Path secret = GitFixture.write(fixture.root.resolve("outside/secret.txt"), "the user's secret\n");
        Files.createSymbolicLink(checkout.resolve("link"), secret);

        worktrees.apply(worktree, "s1", scratch);

        assertTrue(Files.isSymbolicLink(repo.resolve("link")));
        assertEquals(secret, Files.readSymbolicLink(repo.resolve("link")));
        assertFalse(fixture.git(repo, "diff", "--cached").contains("the user's secret"));
    }

    @Test
    void aMergeInProgressIsRefused() throws IOException {
        GitFixture.write(checkout.resolve("c.txt"), "sea\n");
        fixture.git(repo, "checkout", "-q", "-b", "other");
        GitFixture.write(repo.resolve("a.txt"), "other\n");
        fixture.commitAll(repo, "other");
        fixture.git(repo, "checkout", "-q", "main");
        GitFixture.write(repo.resolve("a.txt"), "main\n");
        fixture.commitAll(repo, "main");
        fixture.run(repo, List.of("merge", "other"));
        GitException e = assertThrows(GitException.class, () -> worktrees.apply(worktree, "s1", scratch));
        assertTrue(e.getMessage().endsWith("is in the middle of a merge"));
        assertFalse(Files.exists(repo.resolve("c.txt"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void applyingTwiceLeavesTheSameStagedChanges() throws IOException {
        sandboxWorkCommittedAndNot();
        worktrees.apply(worktree, "s1", scratch);
        GitFixture.State once = fixture.state(repo);
        assertEquals(List.of("a.txt", "c.txt", "new.txt", "src/b.txt"), worktrees.apply(worktree, "s1", scratch).files());
        assertEquals(once, fixture.state(repo));
    }
}
