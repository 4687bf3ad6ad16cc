package dev.corral.git;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A compromised run: the test writes into the checkout's repository what an agent could (or, for
 * the read-only parts, what a failed protection would let it), and every host-side step must run
 * none of it, write nowhere outside, and refuse rather than obey.
 */
class HostileCheckoutTest extends SandboxOnBranch {
    Path marker;
    Path evil;

    HostileCheckoutTest() {
        super(UserIdentity.SET);
    }

    /** After {@link SandboxOnBranch}'s setup: a marker script in the checkout, a commit there and an uncommitted change. */
    @BeforeEach
    void aSandboxWithWork() throws IOException {
        marker = fixture.root.resolve("ran");
        evil = GitFixture.markerScript(checkout.resolve("evil.sh"), marker);
        GitFixture.write(checkout.resolve("c.txt"), "sea\n");
        fixture.commitAll(checkout, "add c");
        GitFixture.write(checkout.resolve("a.txt"), "uncommitted\n");
    }

    /** Every host-side step, in the order a user might run them; what each said, or how it refused. */
    private List<String> everyStep() {
        List<String> outcomes = new ArrayList<>();
        List<Runnable> steps = List.of(
                () -> worktrees.sync(worktree, "s1"),
                () -> worktrees.changes(worktree, scratch),
                () -> worktrees.diff(worktree, scratch, new ByteArrayOutputStream(), DiffFormat.PATCH),
                () -> worktrees.apply(worktree, "s1", scratch),
                () -> {
                    fixture.git(repo, "reset", "-q", "--hard");
                    fixture.git(repo, "clean", "-q", "-fd");
                },
                () -> worktrees.merge(worktree, "s1", scratch),
                () -> worktrees.remove(worktree, "s1", scratch, false),
                () -> worktrees.remove(worktree, "s1", scratch, true));
        for (Runnable step : steps) {
            try {
                step.run();
                outcomes.add("ok");
            } catch (GitException e) {
                outcomes.add(e.getMessage());
            }
        }
        return outcomes;
    }

    @Test
    void hooksWrittenIntoTheCheckoutNeverRun() throws IOException {
        for (String hook : List.of("pre-commit", "post-commit", "post-checkout", "post-merge", "pre-merge-commit", "reference-transaction",
                "post-index-change", "pre-auto-gc", "post-rewrite", "push-to-checkout", "pre-receive", "update", "post-update",
                "fsmonitor-watchman", "pre-push", "prepare-commit-msg", "commit-msg")) {
            GitFixture.markerScript(checkout.resolve(".git/hooks/" + hook), marker);
        }
        List<String> outcomes = everyStep();

        assertEquals(List.of("ok", "ok", "ok", "ok", "ok", "ok"), outcomes.subList(0, 6), outcomes.toString());
        assertTrue(outcomes.get(6).startsWith("the sandbox s1 has uncommitted changes"), outcomes.get(6));
        assertEquals("ok", outcomes.get(7));
        GitFixture.assertAbsent(marker);
        assertFalse(Files.exists(checkout));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[core]\n\tfsmonitor = EVIL\n", "[core]\n\thooksPath = /tmp\n", "[include]\n\tpath = ../evil.cfg\n",
            "[uploadpack]\n\tpackObjectsHook = EVIL\n", "[core]\n\tsshCommand = EVIL\n", "[core]\n\talternateRefsCommand = EVIL\n",
            "[extensions]\n\tworktreeConfig = true\n", "[core]\n\tworktree = /\n", "[diff]\n\texternal = EVIL\n",
            "[CORE]\n\tFSMonitor = EVIL\n", "[core \"x\"]\n\tfoo = bar\n", "[core]fsmonitor=EVIL\n"})
    void settingsWrittenIntoTheCheckoutsConfigMakeEveryStepRefuse(String settings) throws IOException {
        Files.writeString(checkout.resolve("evil.cfg"), "[core]\n\tfsmonitor = " + evil + "\n");
        Files.writeString(checkout.resolve(".git/config"), settings.replace("EVIL", evil.toString()), StandardOpenOption.APPEND);

        List<String> outcomes = everyStep();

        for (int i : new int[] {0, 1, 2, 3, 5, 6}) {
            assertTrue(outcomes.get(i).contains("is not as Corral made it"), outcomes.toString());
        }
        assertEquals("ok", outcomes.getLast(), "corral rm --force still cleans up");
        GitFixture.assertAbsent(marker);
    }

    @Test
    void aCommondirWouldRedirectGitAndIsRefused() throws IOException {
        Path other = fixture.root.resolve("other");
        fixture.git(fixture.root, "init", "-q", "--bare", other.toString());
        fixture.git(other, "config", "core.fsmonitor", evil.toString());
        Files.writeString(checkout.resolve(".git/commondir"), other + "\n");
        GitException e = assertThrows(GitException.class, () -> worktrees.sync(worktree, "s1"));
        assertTrue(e.getMessage().contains(".git has a commondir"));
        GitFixture.assertAbsent(marker);
    }

    @Test
    void aGitFolderThatIsALinkIsRefused() throws IOException {
        Path other = fixture.root.resolve("other");
        fixture.git(fixture.root, "init", "-q", other.toString());
        Files.move(checkout.resolve(".git"), fixture.root.resolve("moved"));
        Files.createSymbolicLink(checkout.resolve(".git"), other.resolve(".git"));
        assertThrows(GitException.class, () -> worktrees.sync(worktree, "s1"));
        assertThrows(GitException.class, () -> worktrees.changes(worktree, scratch));
    }

    @Test
    void aCheckoutFolderReachedThroughALinkIsRefused() throws IOException {
        Path real = fixture.root.resolve("real-s1");
        Files.move(checkout, real);
        Files.createSymbolicLink(checkout, real);
        GitException e = assertThrows(GitException.class, () -> worktrees.sync(worktree, "s1"));
        assertTrue(e.getMessage().contains("not a plain folder"), e.getMessage());
    }

    @Test
    void aRepositoryPlantedInsideTheGitFolderIsNotTheOneRead() throws IOException {
        String tip = fixture.git(checkout, "rev-parse", "HEAD");
        Path planted = checkout.resolve(".git/.git");
        fixture.git(checkout, "init", "-q", "--bare", planted.toString());
        fixture.git(planted, "config", "core.fsmonitor", evil.toString());
        GitFixture.write(fixture.root.resolve("decoy/x"), "decoy\n");
        fixture.git(fixture.root.resolve("decoy"), "init", "-q");
        String decoy = fixture.commitAll(fixture.root.resolve("decoy"), "decoy");
        fixture.git(fixture.root.resolve("decoy"), "push", "-q", planted.toString(), "HEAD:refs/heads/fix");

        assertEquals(tip, worktrees.sync(worktree, "s1").tip());
        assertEquals(tip, worktrees.changes(worktree, scratch).tip());
        assertFalse(decoy.equals(tip));
        GitFixture.assertAbsent(marker);
    }

    @Test
    void alternatesBeyondTheUsersObjectsAreRefused() throws IOException {
        Path elsewhere = Files.createDirectories(fixture.root.resolve("elsewhere/objects"));
        Files.writeString(checkout.resolve(".git/objects/info/alternates"), elsewhere + "\n", StandardOpenOption.APPEND);
        GitException e = assertThrows(GitException.class, () -> worktrees.sync(worktree, "s1"));
        assertTrue(e.getMessage().contains("its alternates name " + elsewhere), e.getMessage());
    }

    @Test
    void aFifoInTheGitFolderIsRefusedAtOnceInsteadOfWaitedOn() throws Exception {
        for (String name : List.of("packed-refs", "refs/heads/other", "objects/info/packs")) {
            Path fifo = checkout.resolve(".git/" + name);
            Files.deleteIfExists(fifo);
            GitFixture.mkfifo(fifo);
            long start = System.nanoTime();
            GitException e = assertThrows(GitException.class, () -> worktrees.sync(worktree, "s1"));
            assertTrue(e.getMessage().contains(".git/" + name + " is a link, FIFO"), e.getMessage());
            assertThrows(GitException.class, () -> worktrees.changes(worktree, scratch));
            assertTrue(System.nanoTime() - start < 20_000_000_000L, "refused, not waited on");
            Files.delete(fifo);
        }
    }

    @Test
    void linksPlantedInTheGitFolderCauseNoWriteOutside() throws IOException {
        Path outside = Files.createDirectories(fixture.root.resolve("outside"));
        Path victim = GitFixture.write(fixture.root.resolve("victim.txt"), "untouched\n");
        String fanout = fixture.git(checkout, "rev-parse", "HEAD").substring(0, 2);
        Path refs = checkout.resolve(".git/refs");
        Files.createSymbolicLink(refs.resolve("corral"), outside);
        Files.createSymbolicLink(refs.resolve("remotes"), outside);
        for (String name : List.of("FETCH_HEAD", "ORIG_HEAD", "MERGE_HEAD", "index.lock", "packed-refs.lock", "shallow.lock", "AUTO_MERGE", "config.lock")) {
            Files.createSymbolicLink(checkout.resolve(".git/" + name), victim);
        }
        for (String dir : List.of("00", "ff", "e6", "pack/tmp", "info/commit-graphs")) {
            Path link = checkout.resolve(".git/objects/" + dir);
            if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(link.getParent());
                Files.createSymbolicLink(link, outside);
            }
        }
        assertTrue(Files.isDirectory(checkout.resolve(".git/objects/" + fanout)), "the agent's own objects stay readable");
        Files.delete(checkout.resolve(".git/logs/HEAD"));
        Files.createSymbolicLink(checkout.resolve(".git/logs/HEAD"), victim);

        List<String> outcomes = everyStep();

        for (int i : new int[] {0, 1, 2, 3, 5, 6}) {
            assertTrue(outcomes.get(i).contains("is a link, FIFO, socket, device or unreadable"), outcomes.toString());
        }
        assertEquals("ok", outcomes.getLast(), "corral rm --force still cleans up");
        try (Stream<Path> left = Files.list(outside)) {
            assertEquals(List.of(), left.toList());
        }
        assertEquals("untouched\n", Files.readString(victim));
    }

    @Test
    void aBranchNameFromTheSandboxNeverReachesACommandLine() throws IOException {
        String hostile = "--upload-pack=touch " + marker;
        assertThrows(GitException.class, () -> new SandboxWorktree(repo, repo.resolve(".git"), checkout, hostile, worktree.baseCommit(), Optional.empty()));
        assertThrows(GitException.class, () -> new SandboxWorktree(repo, repo.resolve(".git"), checkout, "-x", worktree.baseCommit(), Optional.empty()));
        // the agent's own oddly named branches and HEAD are never looked at
        String tip = fixture.git(checkout, "rev-parse", "HEAD");
        Files.writeString(checkout.resolve(".git/refs/heads/--upload-pack=touch_" + marker.getFileName()), tip + "\n");
        Files.writeString(checkout.resolve(".git/HEAD"), "ref: refs/heads/--upload-pack=touch_" + marker.getFileName() + "\n");

        assertEquals(tip, worktrees.sync(worktree, "s1").tip());
        worktrees.changes(worktree, scratch);
        GitFixture.assertAbsent(marker);
        GitFixture.assertAbsent(checkout.resolve("ran"));
    }

    @Test
    void aRefLinkedToAHostFileDoesNotCarryItsContentAnywhere() throws IOException {
        Path secret = GitFixture.write(fixture.root.resolve("secret.txt"), "hunter2-secret\n");
        Path branch = checkout.resolve(".git/refs/heads/fix");
        Files.delete(branch);
        Files.createSymbolicLink(branch, secret);

        GitException e = assertThrows(GitException.class, () -> worktrees.sync(worktree, "s1"));
        assertTrue(e.getMessage().contains(".git/refs/heads/fix is a link"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertEquals(null, fixture.ref(repo, "refs/corral/sandboxes/s1"));
    }

    @Test
    void aShallowFileWrittenInsideCannotMakeTheUsersRepositoryShallow() throws IOException {
        String parent = fixture.git(checkout, "rev-parse", "HEAD~1");
        Files.writeString(checkout.resolve(".git/shallow"), parent + "\n");
        try {
            worktrees.sync(worktree, "s1");
        } catch (GitException refused) {
            // refusing is fine; making the user's repository shallow is not
        }
        assertFalse(Files.exists(repo.resolve(".git/shallow")));
    }

    @Test
    void theCheckoutsOwnGitFolderIsNeverWrittenByTheHost() throws IOException {
        Map<String, String> before = fixture.tree(checkout.resolve(".git"));
        worktrees.sync(worktree, "s1");
        worktrees.changes(worktree, scratch);
        worktrees.diff(worktree, scratch, new ByteArrayOutputStream(), DiffFormat.STAT);
        worktrees.apply(worktree, "s1", scratch);
        assertEquals(before, fixture.tree(checkout.resolve(".git")));
    }

    @Test
    void aGitmodulesFileMadeToAttackALaterSubmoduleUpdateIsRefusedAtTheBorder() throws IOException {
        GitFixture.write(checkout.resolve(".gitmodules"), "[submodule \"../../escape\"]\n\tpath = x\n\turl = https://example.com/x.git\n");
        fixture.commitAll(checkout, "submodule");
        String refs = fixture.git(repo, "for-each-ref");

        GitException e = assertThrows(GitException.class, () -> worktrees.sync(worktree, "s1"));

        assertTrue(e.getMessage().contains("gitmodulesName"), e.getMessage());
        assertEquals(refs, fixture.git(repo, "for-each-ref"));
        assertThrows(GitException.class, () -> worktrees.merge(worktree, "s1", scratch));
    }
}
