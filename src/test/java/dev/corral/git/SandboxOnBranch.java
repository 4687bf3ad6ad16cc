package dev.corral.git;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What the tests of a branch sandbox start from: the user's repository {@code project} (see
 * {@link GitFixture#repository}) on main, and a sandbox {@code s1} checked out from it on a new
 * branch {@code fix}, with the folder Corral keeps for the sandbox's scratch git state. Each test
 * class says whether the user has a git identity; a subclass's own {@code @BeforeEach} runs after
 * this one's.
 */
abstract class SandboxOnBranch {
    /** Whether the user has set who they are in their global git settings before the sandbox is made. */
    enum UserIdentity {
        SET, NOT_SET
    }

    @TempDir
    Path tmp;
    GitFixture fixture;
    Worktrees worktrees;
    Path repo;
    Path checkout;
    Path scratch;
    SandboxWorktree worktree;
    private final UserIdentity userIdentity;

    SandboxOnBranch(UserIdentity userIdentity) {
        this.userIdentity = userIdentity;
    }

    @BeforeEach
    void aSandboxOnBranchFix() throws IOException {
        fixture = new GitFixture(tmp);
        if (userIdentity == UserIdentity.SET) {
            fixture.identity();
        }
        worktrees = fixture.worktrees();
        repo = fixture.repository("project");
        checkout = fixture.root.resolve("worktrees/s1");
        scratch = fixture.root.resolve("state/s1/git");
        worktree = worktrees.create(fixture.inspect(repo), "fix", checkout);
    }

    /** Writes the file in the sandbox's checkout and commits everything there on fix; the new commit. */
    String commitInSandbox(String file, String content) throws IOException {
        GitFixture.write(checkout.resolve(file), content);
        return fixture.commitAll(checkout, "sandbox: " + file);
    }

    /** Writes the file in the user's work tree and commits everything on the branch checked out there (main unless the test moved it); the new commit. */
    String commitOnMain(String file, String content) throws IOException {
        GitFixture.write(repo.resolve(file), content);
        return fixture.commitAll(repo, "user: " + file);
    }

    /** The user checks out fix, commits a {@code mine.txt} of their own there and goes back to main; their commit. */
    String commitByTheUserOnBranchFix(String message) throws IOException {
        fixture.git(repo, "checkout", "-q", "fix");
        GitFixture.write(repo.resolve("mine.txt"), "mine\n");
        String mine = fixture.commitAll(repo, message);
        fixture.git(repo, "checkout", "-q", "main");
        return mine;
    }

    /**
     * Work of every kind in the sandbox: {@code c.txt} added and committed ("add c"), then left
     * uncommitted: {@code a.txt} changed, {@code src/b.txt} deleted and {@code new.txt} untracked.
     * The commit.
     */
    String sandboxWorkCommittedAndNot() throws IOException {
        GitFixture.write(checkout.resolve("c.txt"), "sea\n");
        String tip = fixture.commitAll(checkout, "add c");
        GitFixture.write(checkout.resolve("a.txt"), "one\nTWO\nthree\n");
        Files.delete(checkout.resolve("src/b.txt"));
        GitFixture.write(checkout.resolve("new.txt"), "new\n");
        return tip;
    }

    /** The step is refused with a {@code refusal}, and the user's repository (HEAD, index and files) is as it was before; the refusal. */
    <T extends GitException> T assertRefusedChangingNothing(Class<T> refusal, Executable step) {
        GitFixture.State before = fixture.state(repo);
        T e = assertThrows(refusal, step);
        assertEquals(before, fixture.state(repo));
        return e;
    }
}
