package dev.corral.git;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A sandbox's own checkout: a small repository borrowing the user's objects, on a new branch made in both. */
class WorktreeCreationTest {
    @TempDir
    Path tmp;
    GitFixture fixture;
    Path repo;
    Path checkout;

    @BeforeEach
    void aRepository() throws IOException {
        fixture = new GitFixture(tmp);
        repo = fixture.repository("project");
        checkout = fixture.root.resolve("worktrees/sandbox-1");
    }

    @Test
    void theCheckoutHasTheFilesOnTheNewBranchAndBorrowsTheUsersObjects() throws IOException {
        String base = fixture.head(repo);
        SandboxWorktree worktree = fixture.worktrees().create(fixture.inspect(repo), "fix-login", checkout);

        assertEquals(new SandboxWorktree(repo, repo.resolve(".git"), checkout, "fix-login", base, Optional.of("main")), worktree);
        assertEquals("one\ntwo\nthree\n", Files.readString(checkout.resolve("a.txt")));
        assertEquals("bee\n", Files.readString(checkout.resolve("src/b.txt")));
        assertEquals("ref: refs/heads/fix-login", Files.readString(checkout.resolve(".git/HEAD")).strip());
        assertEquals(repo.resolve(".git/objects") + "\n", Files.readString(checkout.resolve(".git/objects/info/alternates")));
        assertEquals(base, fixture.ref(repo, "refs/heads/fix-login"));
        assertEquals(base, fixture.ref(checkout, "refs/heads/fix-login"));
        assertEquals("", fixture.git(checkout, "status", "--porcelain"));
        assertFalse(Files.exists(checkout.resolve(".git/hooks")), "no hooks from templates");
        assertEquals("0", fixture.git(checkout, "count-objects").split(" ")[0], "no objects of its own: all borrowed");
    }

    @Test
    void theCheckoutWorksAsARepositoryForTheAgent() throws IOException {
        fixture.worktrees().create(fixture.inspect(repo), "feature/x", checkout);
        GitFixture.write(checkout.resolve("c.txt"), "sea\n");
        String commit = fixture.commitAll(checkout, "add c");
        assertEquals(commit, fixture.ref(checkout, "refs/heads/feature/x"));
        assertEquals("add c\nfirst", fixture.git(checkout, "log", "--format=%s"));
        assertEquals(fixture.head(repo), fixture.git(checkout, "rev-parse", "HEAD~1"), "the user's branch is untouched by commits inside");
    }

    @Test
    void anExistingBranchIsNeverOverwritten() throws IOException {
        fixture.git(repo, "branch", "taken");
        GitFixture.write(repo.resolve("a.txt"), "moved on\n");
        String head = fixture.commitAll(repo, "second");
        String taken = fixture.ref(repo, "refs/heads/taken");

        GitException e = assertThrows(GitException.class, () -> fixture.worktrees().create(fixture.inspect(repo), "taken", checkout));
        assertEquals("branch taken already exists in " + repo, e.getMessage());
        assertTrue(e.fix().orElseThrow().contains("--branch auto"));
        assertEquals(taken, fixture.ref(repo, "refs/heads/taken"));
        assertTrue(!taken.equals(head));
        assertFalse(Files.exists(checkout, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aBranchThatWouldClashWithAFolderOfBranchesIsRefusedCleanly() throws IOException {
        fixture.git(repo, "branch", "fix");
        GitException e = assertThrows(GitException.class, () -> fixture.worktrees().create(fixture.inspect(repo), "fix/login", checkout));
        assertTrue(e.getMessage().startsWith("cannot create branch fix/login"), e.getMessage());
        assertFalse(Files.exists(checkout, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void anInvalidNameIsRefusedBeforeAnythingIsMade() {
        assertThrows(GitException.class, () -> fixture.worktrees().create(fixture.inspect(repo), "--upload-pack=touch x", checkout));
        assertFalse(Files.exists(checkout.getParent(), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void anExistingFolderIsNotReused() throws IOException {
        Files.createDirectories(checkout);
        GitException e = assertThrows(GitException.class, () -> fixture.worktrees().create(fixture.inspect(repo), "b", checkout));
        assertTrue(e.getMessage().contains("already exists"));
        assertNull(fixture.ref(repo, "refs/heads/b"), "no branch made");
    }

    @Test
    void aFailedCheckoutIsUndoneBranchAndFolder() throws IOException {
        GitFixture.write(repo.resolve(".gitattributes"), "*.txt filter=broken\n");
        fixture.commitAll(repo, "attributes");
        fixture.globalSettings("[filter \"broken\"]\n\tsmudge = false\n\trequired = true\n");

        assertThrows(GitException.class, () -> fixture.worktrees().create(fixture.inspect(repo), "b", checkout));
        assertNull(fixture.ref(repo, "refs/heads/b"));
        assertFalse(Files.exists(checkout, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void theFilesAreWrittenWithTheUsersOwnFilters() throws IOException {
        fixture.globalSettings("[filter \"upper\"]\n\tsmudge = tr a-z A-Z\n\tclean = tr A-Z a-z\n");
        GitFixture.write(repo.resolve(".gitattributes"), "a.txt filter=upper\n");
        fixture.commitAll(repo, "attributes");
        fixture.worktrees().create(fixture.inspect(repo), "b", checkout);
        assertEquals("ONE\nTWO\nTHREE\n", Files.readString(checkout.resolve("a.txt")));
    }

    @Test
    void onlyRemotesWithoutCredentialsAreCopied() throws IOException {
        fixture.git(repo, "remote", "add", "origin", "https://github.com/acme/project.git");
        fixture.git(repo, "remote", "add", "tokened", "https://ghp_secret@github.com/acme/project.git");
        fixture.git(repo, "remote", "add", "password", "https://ada:hunter2@example.com/project.git");
        fixture.git(repo, "remote", "add", "ssh", "git@github.com:acme/project.git");
        fixture.git(repo, "remote", "add", "sshpass", "ssh://ada:hunter2@example.com/project.git");
        fixture.worktrees().create(fixture.inspect(repo), "b", checkout);

        String config = Files.readString(checkout.resolve(".git/config"));
        assertFalse(config.contains("secret") || config.contains("hunter2"), config);
        assertEquals("https://github.com/acme/project.git", fixture.git(checkout, "config", "remote.origin.url"));
        assertEquals("+refs/heads/*:refs/remotes/origin/*", fixture.git(checkout, "config", "remote.origin.fetch"));
        assertEquals("git@github.com:acme/project.git", fixture.git(checkout, "config", "remote.ssh.url"));
        assertEquals(List.of("origin", "ssh"), fixture.git(checkout, "remote").lines().toList());
    }

    @Test
    void theWholeAlternatesChainIsListedSoTheSandboxCanMountIt() throws IOException {
        Path shared = fixture.root.resolve("shared.git");
        fixture.git(fixture.root, "clone", "-q", "--bare", repo.toString(), shared.toString());
        Path clone = fixture.root.resolve("clone");
        fixture.git(fixture.root, "clone", "-q", "--shared", shared.toString(), clone.toString());
        SandboxWorktree worktree = fixture.worktrees().create(fixture.inspect(clone), "b", checkout);

        List<Path> expected = List.of(clone.resolve(".git/objects"), shared.resolve("objects"));
        assertEquals(expected, fixture.worktrees().objectDirectories(worktree));
        assertEquals(clone.resolve(".git/objects") + "\n" + shared.resolve("objects") + "\n",
                Files.readString(checkout.resolve(".git/objects/info/alternates")));
        assertEquals("bee", Files.readString(checkout.resolve("src/b.txt")).strip());
    }

    @Test
    void aSha256RepositoryGetsASha256Checkout() throws IOException {
        Path sha = Files.createDirectories(fixture.root.resolve("sha"));
        fixture.git(sha, "init", "-q", "--object-format=sha256");
        GitFixture.write(sha.resolve("a"), "a\n");
        String base = fixture.commitAll(sha, "first");
        SandboxWorktree worktree = fixture.worktrees().create(fixture.inspect(sha), "b", checkout);
        assertEquals(base, worktree.baseCommit());
        assertEquals("sha256", fixture.git(checkout, "rev-parse", "--show-object-format"));
        assertEquals("a\n", Files.readString(checkout.resolve("a")));
    }

    @Test
    void aShallowRepositorysBoundaryIsCopied() throws IOException {
        GitFixture.write(repo.resolve("a.txt"), "second\n");
        fixture.commitAll(repo, "second");
        Path shallow = fixture.root.resolve("shallow");
        fixture.git(fixture.root, "clone", "-q", "--depth=1", "file://" + repo, shallow.toString());
        fixture.worktrees().create(fixture.inspect(shallow), "b", checkout);
        assertEquals(Files.readString(shallow.resolve(".git/shallow")), Files.readString(checkout.resolve(".git/shallow")));
        assertEquals("second", fixture.git(checkout, "log", "--format=%s"));
    }

    @Test
    void theCheckoutStartsFromHeadOfALinkedWorktree() throws IOException {
        Path linked = fixture.root.resolve("linked");
        fixture.git(repo, "worktree", "add", "-q", "-b", "other", linked.toString());
        GitFixture.write(linked.resolve("a.txt"), "other\n");
        String head = fixture.commitAll(linked, "other");
        SandboxWorktree worktree = fixture.worktrees().create(fixture.inspect(linked), "b", checkout);
        assertEquals(head, worktree.baseCommit());
        assertEquals(Optional.of("other"), worktree.baseBranch());
        assertEquals(repo.resolve(".git"), worktree.commonDir());
        assertEquals(head, fixture.ref(repo, "refs/heads/b"));
    }

    @Test
    void discardingAnUnusedCheckoutRemovesItAndItsBranch() throws IOException {
        Worktrees worktrees = fixture.worktrees();
        SandboxWorktree worktree = worktrees.create(fixture.inspect(repo), "b", checkout);
        worktrees.discard(worktree);
        assertFalse(Files.exists(checkout, LinkOption.NOFOLLOW_LINKS));
        assertNull(fixture.ref(repo, "refs/heads/b"));
    }
}
