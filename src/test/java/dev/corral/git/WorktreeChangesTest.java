package dev.corral.git;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sandbox's work against its branch point, committed or not, read from its files without its
 * index and without writing into its repository: what {@code corral diff} and {@code ls} show.
 */
class WorktreeChangesTest extends SandboxOnBranch {
    WorktreeChangesTest() {
        super(UserIdentity.NOT_SET);
    }

    private String diff(DiffFormat format, boolean color) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        worktrees.diff(worktree, scratch, out, format, color);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void committedUncommittedUntrackedAndDeletedFilesAreAllCounted() throws IOException {
        String tip = sandboxWorkCommittedAndNot();

        Changes changes = worktrees.changes(worktree, scratch);

        assertEquals(tip, changes.tip());
        assertEquals(1, changes.commitCount());
        assertEquals(List.of("add c"), changes.commits());
        assertEquals(List.of("a.txt", "c.txt", "new.txt", "src/b.txt"), changes.files());
        assertEquals(List.of("a.txt", "new.txt", "src/b.txt"), changes.uncommitted());
        assertEquals(4, changes.filesChanged());
        assertEquals(3, changes.uncommittedFiles());
        assertEquals(List.of(), changes.notes());
    }

    @Test
    void theSandboxsRepositoryIsOnlyRead() throws IOException {
        GitFixture.write(checkout.resolve("a.txt"), "changed\n");
        fixture.git(checkout, "add", "a.txt");
        GitFixture.write(checkout.resolve("b.txt"), "untracked\n");
        Map<String, String> before = fixture.tree(checkout.resolve(".git"));

        worktrees.changes(worktree, scratch);
        worktrees.diff(worktree, scratch, new ByteArrayOutputStream(), DiffFormat.PATCH);

        assertEquals(before, fixture.tree(checkout.resolve(".git")));
        assertEquals("M  a.txt\n?? b.txt", fixture.git(checkout, "status", "--porcelain"), "the sandbox's own index is as it was");
    }

    @Test
    void nothingChangedIsAnEmptyResult() {
        Changes changes = worktrees.changes(worktree, scratch);
        assertEquals(new Changes(worktree.baseCommit(), 0, List.of(), List.of(), List.of(), List.of()), changes);
        assertEquals("", diff(DiffFormat.PATCH, false));
    }

    @Test
    void theScratchIndexIsKeptAndFollowsLaterChanges() throws IOException {
        GitFixture.write(checkout.resolve("a.txt"), "first edit\n");
        assertEquals(List.of("a.txt"), worktrees.changes(worktree, scratch).uncommitted());
        assertTrue(Files.isRegularFile(Snapshots.repository(scratch).resolve("index")));
        GitFixture.write(checkout.resolve("a.txt"), "one\ntwo\nthree\n");
        GitFixture.write(checkout.resolve("src/b.txt"), "second edit\n");
        assertEquals(List.of("src/b.txt"), worktrees.changes(worktree, scratch).uncommitted());
        fixture.commitAll(checkout, "b");
        Changes changes = worktrees.changes(worktree, scratch);
        assertEquals(List.of(), changes.uncommitted());
        assertEquals(List.of("src/b.txt"), changes.files());
    }

    @Test
    void ignoredFilesAreLeftOutAsGitStatusWould() throws IOException {
        GitFixture.write(checkout.resolve(".gitignore"), "build/\n*.log\n");
        GitFixture.write(checkout.resolve("build/out.bin"), "x");
        GitFixture.write(checkout.resolve("debug.log"), "x");
        assertEquals(List.of(".gitignore"), worktrees.changes(worktree, scratch).files());
    }

    @Test
    void symbolicLinksAreRecordedAsLinksNeverFollowed() throws IOException {
        Path secret = GitFixture.write(fixture.root.resolve("outside/secret.txt"), "the user's secret\n");
        Files.createSymbolicLink(checkout.resolve("file-link"), secret);
        Files.createSymbolicLink(checkout.resolve("dir-link"), secret.getParent());
        Files.delete(checkout.resolve("a.txt"));
        Files.createSymbolicLink(checkout.resolve("a.txt"), secret);

        Changes changes = worktrees.changes(worktree, scratch);
        String patch = diff(DiffFormat.PATCH, false);

        assertEquals(List.of("a.txt", "dir-link", "file-link"), changes.files());
        assertFalse(patch.contains("the user's secret"), patch);
        assertTrue(patch.contains("new file mode 120000"), patch);
        assertTrue(patch.contains("+" + secret), patch);
    }

    @Test
    void aNestedRepositoryIsAGitlinkAndNothingInItRuns() throws IOException {
        Path nested = Files.createDirectories(checkout.resolve("vendor/lib"));
        fixture.git(nested, "init", "-q");
        GitFixture.write(nested.resolve("x"), "x\n");
        String nestedHead = fixture.commitAll(nested, "x");
        Path marker = fixture.root.resolve("ran");
        Path script = GitFixture.markerScript(fixture.root.resolve("evil.sh"), marker);
        fixture.git(nested, "config", "core.fsmonitor", script.toString());
        fixture.git(nested, "config", "core.hooksPath", fixture.root.resolve("hooks").toString());
        for (String hook : List.of("post-index-change", "reference-transaction", "pre-commit")) {
            GitFixture.markerScript(nested.resolve(".git/hooks/" + hook), marker);
            GitFixture.markerScript(fixture.root.resolve("hooks/" + hook), marker);
        }
        Files.createDirectories(checkout.resolve("empty-repo"));
        fixture.git(checkout.resolve("empty-repo"), "init", "-q");

        Changes changes = worktrees.changes(worktree, scratch);
        String patch = diff(DiffFormat.PATCH, false);

        assertEquals(List.of("vendor/lib"), changes.files());
        assertTrue(patch.contains("+Subproject commit " + nestedHead), patch);
        assertTrue(changes.notes().stream().anyMatch(n -> n.contains("empty-repo")), changes.notes().toString());
        GitFixture.assertAbsent(marker);
    }

    @Test
    void fifosAndSocketsNeitherHangNorFailIt() throws Exception {
        GitFixture.mkfifo(checkout.resolve("untracked.fifo"));
        Files.delete(checkout.resolve("src/b.txt"));
        GitFixture.mkfifo(checkout.resolve("src/b.txt"));
        GitFixture.write(checkout.resolve("real.txt"), "real\n");
        try (var socket = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            socket.bind(java.net.UnixDomainSocketAddress.of(checkout.resolve("agent.sock")));

            Changes changes = worktrees.changes(worktree, scratch);

            assertEquals(List.of("real.txt"), changes.files(), "the FIFO in place of src/b.txt is not read; the tracked file stays as it was");
            assertTrue(changes.notes().stream().anyMatch(n -> n.contains("src/b.txt")), changes.notes().toString());
        }
    }

    @Test
    void aFifoGitWouldOpenBlindlyIsFoundAndItsFolderLeftOut() throws Exception {
        GitFixture.write(checkout.resolve("sub/kept.txt"), "in a folder with a trap\n");
        GitFixture.mkfifo(checkout.resolve("sub/.gitignore"));
        GitFixture.write(checkout.resolve("attrs/file.txt"), "attributes would be looked up for this\n");
        GitFixture.mkfifo(checkout.resolve("attrs/.gitattributes"));
        Path nested = Files.createDirectories(checkout.resolve("vendor/trap/.git"));
        Files.createDirectories(nested.resolve("objects"));
        Files.createDirectories(nested.resolve("refs"));
        GitFixture.mkfifo(nested.resolve("HEAD"));
        GitFixture.write(checkout.resolve("fine.txt"), "fine\n");
        long start = System.nanoTime();

        Changes changes = worktrees.changes(worktree, scratch);

        assertTrue(System.nanoTime() - start < 60_000_000_000L, "not waited on until the timeout");
        assertEquals(List.of("fine.txt"), changes.files());
        assertEquals(List.of("left out attrs/: .gitattributes is a FIFO or device", "left out sub/: .gitignore is a FIFO or device",
                "left out vendor/trap/: its .git has a special file or link at HEAD"), changes.notes().stream().sorted().toList());
    }

    @Test
    void aFifoAtTheTopThatGitWouldWaitOnIsAnErrorNotAHang() throws Exception {
        GitFixture.mkfifo(checkout.resolve(".gitignore"));
        long start = System.nanoTime();
        GitException e = org.junit.jupiter.api.Assertions.assertThrows(GitException.class, () -> worktrees.changes(worktree, scratch));
        assertTrue(e.getMessage().contains(".gitignore at the top of " + checkout + " is a FIFO"), e.getMessage());
        assertTrue(e.fix().orElseThrow().startsWith("delete it"));
        assertTrue(System.nanoTime() - start < 60_000_000_000L);
    }

    @Test
    void oddFileNamesComeThroughExactly() throws IOException {
        List<String> names = List.of("new\nline.txt", "tab\there.txt", " leading space", "-dash.txt", "\u00fcn\u00efc\u00f6d\u00e9.txt",
                "quote\"d.txt", "back\\slash.txt", "esc\u001b[31mred.txt");
        for (String name : names) GitFixture.write(checkout.resolve(name), "x\n");

        Changes changes = worktrees.changes(worktree, scratch);

        assertEquals(names.stream().sorted().toList(), changes.files().stream().sorted().toList());
    }

    @Test
    void commitSubjectsComeEscapedAndNewestFirst() throws IOException {
        GitFixture.write(checkout.resolve("c.txt"), "1\n");
        fixture.commitAll(checkout, "first \u001b]0;owned\u0007 title");
        GitFixture.write(checkout.resolve("c.txt"), "2\n");
        fixture.commitAll(checkout, "second");
        Changes changes = worktrees.changes(worktree, scratch);
        assertEquals(2, changes.commitCount());
        assertEquals(List.of("second", "first \\u001b]0;owned\\u0007 title"), changes.commits());
    }

    @Test
    void theDiffFormatsShowTheSameWork() throws IOException {
        GitFixture.write(checkout.resolve("c.txt"), "sea\n");
        fixture.commitAll(checkout, "add c");
        GitFixture.write(checkout.resolve("a.txt"), "one\nTWO\nthree\n");

        String patch = diff(DiffFormat.PATCH, false);
        assertTrue(patch.contains("+TWO\n") && patch.contains("-two\n") && patch.contains("+sea\n"), patch);
        assertFalse(patch.contains("\u001b["), "no colour unless asked");
        assertEquals("M\ta.txt\nA\tc.txt\n", diff(DiffFormat.NAME_STATUS, false));
        String stat = diff(DiffFormat.STAT, false);
        assertTrue(stat.contains("2 files changed"), stat);
        assertTrue(diff(DiffFormat.PATCH, true).contains("\u001b["), "colour when asked");
    }

    @Test
    void driversNamedByTheSandboxsAttributesNeverRun() throws IOException {
        Path marker = fixture.root.resolve("ran");
        Path script = GitFixture.markerScript(fixture.root.resolve("driver.sh"), marker);
        fixture.globalSettings("[diff \"evil\"]\n\ttextconv = " + script + "\n\tcommand = " + script + "\n"
                + "[filter \"evil\"]\n\tclean = " + script + "\n\tsmudge = " + script + "\n\tprocess = " + script + "\n"
                + "[diff]\n\texternal = " + script + "\n[core]\n\tpager = " + script + "\n\tfsmonitor = " + script + "\n");
        fixture.env.put("GIT_EXTERNAL_DIFF", script.toString());
        fixture.env.put("GIT_PAGER", script.toString());
        Worktrees withHostileSettings = fixture.worktrees();
        GitFixture.write(checkout.resolve(".gitattributes"), "* diff=evil filter=evil\n");
        GitFixture.write(checkout.resolve("a.txt"), "changed\n");

        Changes changes = withHostileSettings.changes(worktree, scratch);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (DiffFormat format : DiffFormat.values()) withHostileSettings.diff(worktree, scratch, out, format, false);
        withHostileSettings.diff(worktree, scratch, new ByteArrayOutputStream(), DiffFormat.PATCH, true);

        assertEquals(List.of(".gitattributes", "a.txt"), changes.files());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("+changed"));
        GitFixture.assertAbsent(marker);
    }

    @Test
    void aBranchMissingInsideIsComparedFromTheBaseWithANote() throws IOException {
        GitFixture.write(checkout.resolve("c.txt"), "sea\n");
        fixture.commitAll(checkout, "add c");
        fixture.git(checkout, "checkout", "-q", "--detach");
        fixture.git(checkout, "branch", "-q", "-D", "fix");
        Changes changes = worktrees.changes(worktree, scratch);
        assertEquals(worktree.baseCommit(), changes.tip());
        assertEquals(List.of("c.txt"), changes.files(), "the files are what they are");
        assertTrue(changes.notes().getFirst().contains("no branch fix"));
    }

    @Test
    void changesDoNotTouchTheUsersRepository() throws IOException {
        GitFixture.write(checkout.resolve("c.txt"), "sea\n");
        fixture.commitAll(checkout, "add c");
        String refs = fixture.git(repo, "for-each-ref");
        worktrees.changes(worktree, scratch);
        assertEquals(refs, fixture.git(repo, "for-each-ref"));
        assertEquals(worktree.baseCommit(), fixture.ref(repo, "refs/heads/fix"));
    }
}
