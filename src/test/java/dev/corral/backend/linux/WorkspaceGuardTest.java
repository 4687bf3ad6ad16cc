package dev.corral.backend.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.backend.linux.Protection.Kind;
import dev.corral.sandbox.SandboxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What in a workspace the host would run later, found in temporary folders laid out by hand. */
class WorkspaceGuardTest {
    @TempDir
    Path tmp;

    private Path ws;

    @BeforeEach
    void workspace() throws IOException {
        ws = Files.createDirectories(tmp.toRealPath().resolve("project"));
    }

    private Map<Path, Kind> scan() {
        Map<Path, Kind> map = new LinkedHashMap<>();
        for (Protection p : WorkspaceGuard.scan(ws)) {
            Kind previous = map.put(ws.relativize(p.path()), p.kind());
            assertEquals(null, previous, "protected twice: " + p.path());
        }
        return map;
    }

    /** What a repository with no submodules, worktrees, commondir or hooksPath gets. */
    private static Map<Path, Kind> plainRepository() {
        return withEditorFolders(Map.of(p(".git"), Kind.PINNED, p(".git/config"), Kind.READ_ONLY, p(".git/hooks"), Kind.READ_ONLY,
                p(".git/commondir"), Kind.PLACEHOLDER, p(".git/modules"), Kind.EMPTY, p(".git/worktrees"), Kind.EMPTY,
                p(".git/objects"), Kind.PINNED));
    }

    /** What a folder that is no repository gets: no .git, no HEAD may appear. */
    private static Map<Path, Kind> noRepository() {
        return withEditorFolders(Map.of(p(".git"), Kind.EMPTY, p("HEAD"), Kind.EMPTY));
    }

    /** Missing editor folders become empty read-only ones. */
    private static Map<Path, Kind> withEditorFolders(Map<Path, Kind> protections) {
        Map<Path, Kind> all = new java.util.HashMap<>(protections);
        for (String folder : List.of(".vscode", ".idea", ".devcontainer")) all.put(p(folder), Kind.EMPTY);
        return all;
    }

    private static Path p(String relative) {
        return Path.of(relative);
    }

    /** A minimal git directory by hand: what {@code git init} leaves, minus what the guard doesn't read. */
    private Path gitDir(Path dir, String config) throws IOException {
        Files.createDirectories(dir.resolve("objects"));
        Files.createDirectories(dir.resolve("refs/heads"));
        Files.writeString(dir.resolve("HEAD"), "ref: refs/heads/main\n");
        Files.writeString(dir.resolve("config"), "[core]\n\trepositoryformatversion = 0\n\tbare = false\n" + config);
        return dir;
    }

    @Test
    void aWorkspaceWithoutGitGetsAnEmptyReadOnlyGit() {
        assertEquals(noRepository(), scan());
        assertFalse(Files.exists(ws.resolve(".git")), "the scan creates nothing; bubblewrap makes the mount point");
    }

    @Test
    void aMissingCommondirGetsAPlaceholderThatNamesTheGitDirItself() throws IOException {
        gitDir(ws.resolve(".git"), "");

        scan();

        assertEquals(".\n", Files.readString(ws.resolve(".git/commondir")));
    }

    @Test
    void anExistingCommondirIsReadOnly() throws IOException {
        gitDir(ws.resolve(".git"), "");
        Files.writeString(ws.resolve(".git/commondir"), "../elsewhere\n");

        assertEquals(Kind.READ_ONLY, scan().get(p(".git/commondir")));
    }

    @Test
    void anEmptyGitFolderIsTreatedAsNoGit() throws IOException {
        Files.createDirectory(ws.resolve(".git"));

        assertEquals(noRepository(), scan());
    }

    @Test
    void aGitFolderIsPinnedWithItsConfigAndHooksReadOnly() throws IOException {
        gitDir(ws.resolve(".git"), "");
        Files.createDirectory(ws.resolve(".git/hooks"));

        assertEquals(plainRepository(), scan());
    }

    @Test
    void theGitFolderComesBeforeWhatIsInsideIt() throws IOException {
        gitDir(ws.resolve(".git"), "");

        List<Path> order = WorkspaceGuard.scan(ws).stream().map(Protection::path).toList();

        assertEquals(ws.resolve(".git"), order.getFirst());
    }

    @Test
    void missingHooksAreCreatedSoTheyCanBeProtected() throws IOException {
        gitDir(ws.resolve(".git"), "");

        Map<Path, Kind> protections = scan();

        assertTrue(Files.isDirectory(ws.resolve(".git/hooks")));
        assertEquals(Kind.READ_ONLY, protections.get(p(".git/hooks")));
    }

    @Test
    void aRealGitInitIsProtected() throws Exception {
        Process git = new ProcessBuilder("git", "init", "-q", ws.toString()).inheritIO().start();
        assertEquals(0, git.waitFor());

        Map<Path, Kind> protections = scan();

        assertEquals(Kind.PINNED, protections.get(p(".git")));
        assertEquals(Kind.READ_ONLY, protections.get(p(".git/config")));
        assertEquals(Kind.READ_ONLY, protections.get(p(".git/hooks")));
    }

    @Test
    void aWorktreeConfigIsProtectedWhenGitWouldReadIt() throws IOException {
        gitDir(ws.resolve(".git"), "[extensions]\n\tworktreeConfig = true\n");

        Map<Path, Kind> protections = scan();

        assertEquals(Kind.READ_ONLY, protections.get(p(".git/config.worktree")));
        assertTrue(Files.isRegularFile(ws.resolve(".git/config.worktree")), "created so it can be protected");
    }

    @Test
    void anExistingWorktreeConfigIsProtectedAnyway() throws IOException {
        gitDir(ws.resolve(".git"), "");
        Files.writeString(ws.resolve(".git/config.worktree"), "");

        assertEquals(Kind.READ_ONLY, scan().get(p(".git/config.worktree")));
    }

    @Test
    void aLinkedWorktreesCommondirAndGitdirAreReadOnly() throws IOException {
        gitDir(ws.resolve(".git"), "");
        Files.createDirectories(ws.resolve(".git/worktrees/feature"));
        Files.writeString(ws.resolve(".git/worktrees/feature/commondir"), "../..\n");
        Files.writeString(ws.resolve(".git/worktrees/feature/gitdir"), "/elsewhere/.git\n");

        Map<Path, Kind> protections = scan();

        assertEquals(Kind.READ_ONLY, protections.get(p(".git/worktrees/feature/commondir")));
        assertEquals(Kind.READ_ONLY, protections.get(p(".git/worktrees/feature/gitdir")));
    }

    @Test
    void filesTheConfigIncludesFromTheWorkspaceAreReadOnlyOrHeldEmpty() throws IOException {
        gitDir(ws.resolve(".git"), "[include]\n\tpath = ../.gitconfig\n[includeIf \"onbranch:main\"]\n\tpath = ../missing.inc\n");
        Files.writeString(ws.resolve(".gitconfig"), "[user]\n");

        Map<Path, Kind> protections = scan();

        assertEquals(Kind.READ_ONLY, protections.get(p(".gitconfig")));
        assertEquals(Kind.PLACEHOLDER, protections.get(p("missing.inc")));
        assertEquals("", Files.readString(ws.resolve("missing.inc")));
    }

    @Test
    void noPlaceholderIsWrittenThroughALinkedFolder() throws IOException {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        gitDir(ws.resolve(".git"), "[include]\n\tpath = ../conf/settings.inc\n");
        Files.createSymbolicLink(ws.resolve("conf"), elsewhere);

        assertThrows(SandboxException.class, this::scan);
        assertFalse(Files.exists(elsewhere.resolve("settings.inc")), "nothing written outside the workspace");
    }

    @Test
    void aHooksPathInADotFolderProtectsTheWholeFolder() throws IOException {
        gitDir(ws.resolve(".git"), "[core]\n\thooksPath = .husky/_\n");
        Files.createDirectories(ws.resolve(".husky/_"));

        assertEquals(Kind.READ_ONLY, scan().get(p(".husky")));
    }

    @Test
    void aHooksPathWhoseParentIsMissingIsHeldByAnEmptyFolder() throws IOException {
        gitDir(ws.resolve(".git"), "[core]\n\thooksPath = tools/git-hooks\n");

        Map<Path, Kind> protections = scan();

        assertEquals(Kind.EMPTY, protections.get(p("tools")));
        assertFalse(protections.containsKey(p("tools/git-hooks")));
    }

    @Test
    void theUsersGlobalHooksPathIsProtectedToo() throws IOException {
        gitDir(ws.resolve(".git"), "");
        Path global = tmp.resolve("gitconfig");
        Files.writeString(global, "[core]\n  hooksPath = .githooks\n");

        Map<Path, Kind> protections = new LinkedHashMap<>();
        for (Protection p : WorkspaceGuard.scan(ws, List.of(global))) protections.put(ws.relativize(p.path()), p.kind());

        assertEquals(Kind.EMPTY, protections.get(Path.of(".githooks")), "missing, so held by an empty read-only folder");
    }

    @Test
    void linkedWorktreeConfigsAreProtected() throws IOException {
        gitDir(ws.resolve(".git"), "");
        Files.createDirectories(ws.resolve(".git/worktrees/feature"));
        Files.writeString(ws.resolve(".git/worktrees/feature/config.worktree"), "");

        Map<Path, Kind> protections = scan();

        assertEquals(Kind.READ_ONLY, protections.get(p(".git/worktrees/feature/config.worktree")));
        assertEquals(Kind.READ_ONLY, protections.get(p(".git/worktrees")), "no new worktree can be added inside");
        assertEquals(Kind.PINNED, protections.get(p(".git/worktrees/feature")));
    }

    @Test
    void aHooksPathInsideTheWorkspaceIsProtected() throws IOException {
        gitDir(ws.resolve(".git"), "\thooksPath = .githooks\n");
        Files.createDirectory(ws.resolve(".githooks"));

        Map<Path, Kind> protections = scan();

        assertEquals(Kind.READ_ONLY, protections.get(p(".githooks")));
        assertEquals(Kind.READ_ONLY, protections.get(p(".git/hooks")), "the default hooks stay protected too");
    }

    @Test
    void aMissingHooksPathInsideTheWorkspaceIsKeptEmpty() throws IOException {
        gitDir(ws.resolve(".git"), "\thooksPath = \"tools/git hooks\"\n");
        Files.createDirectory(ws.resolve("tools"));

        Map<Path, Kind> protections = scan();

        assertEquals(Kind.EMPTY, protections.get(p("tools/git hooks")));
        assertEquals(Kind.PINNED, protections.get(p("tools")), "its parent can't be renamed away");
    }

    @Test
    void everyFolderBetweenTheWorkspaceAndAHooksPathIsPinned() throws IOException {
        gitDir(ws.resolve(".git"), "\thooksPath = a/b/c/hooks\n");
        Files.createDirectories(ws.resolve("a/b/c/hooks"));

        Map<Path, Kind> protections = scan();

        assertEquals(Kind.PINNED, protections.get(p("a")));
        assertEquals(Kind.PINNED, protections.get(p("a/b")));
        assertEquals(Kind.PINNED, protections.get(p("a/b/c")));
        assertEquals(Kind.READ_ONLY, protections.get(p("a/b/c/hooks")));
    }

    @Test
    void anAbsoluteHooksPathInsideTheWorkspaceIsProtected() throws IOException {
        Files.createDirectories(ws.resolve("hooks2"));
        gitDir(ws.resolve(".git"), "\thooksPath = " + ws.resolve("hooks2") + "\n");

        assertEquals(Kind.READ_ONLY, scan().get(p("hooks2")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/usr/share/git-core/hooks", "~/.githooks", "../elsewhere", "."})
    void aHooksPathOutsideTheWorkspaceAddsNothing(String hooksPath) throws IOException {
        gitDir(ws.resolve(".git"), "\thooksPath = " + hooksPath + "\n");

        assertEquals(plainRepository(), scan());
    }

    @Test
    void submoduleGitDirsArePinnedWithTheirConfigAndHooks() throws IOException {
        gitDir(ws.resolve(".git"), "");
        gitDir(ws.resolve(".git/modules/lib"), "\tworktree = ../../../lib\n");
        gitDir(ws.resolve(".git/modules/vendor/deep"), "");

        Map<Path, Kind> protections = scan();

        assertEquals(Kind.READ_ONLY, protections.get(p(".git/modules")));
        assertEquals(Kind.PINNED, protections.get(p(".git/modules/lib")));
        assertEquals(Kind.READ_ONLY, protections.get(p(".git/modules/lib/config")));
        assertEquals(Kind.READ_ONLY, protections.get(p(".git/modules/lib/hooks")));
        assertTrue(Files.isDirectory(ws.resolve(".git/modules/lib/hooks")));
        assertEquals(Kind.READ_ONLY, protections.get(p(".git/modules/vendor")));
        assertEquals(Kind.PINNED, protections.get(p(".git/modules/vendor/deep")));
        assertEquals(Kind.READ_ONLY, protections.get(p(".git/modules/vendor/deep/config")));
        assertEquals(Kind.READ_ONLY, protections.get(p(".git/modules/vendor/deep/hooks")));
    }

    @Test
    void nestedSubmodulesOfSubmodulesAreProtected() throws IOException {
        gitDir(ws.resolve(".git"), "");
        gitDir(ws.resolve(".git/modules/lib"), "");
        gitDir(ws.resolve(".git/modules/lib/modules/inner"), "");

        Map<Path, Kind> protections = scan();

        assertEquals(Kind.PINNED, protections.get(p(".git/modules/lib/modules/inner")));
        assertEquals(Kind.READ_ONLY, protections.get(p(".git/modules/lib/modules/inner/config")));
    }

    @Test
    void aGitFilePointingInsideTheWorkspaceProtectsTheFileAndTheGitDir() throws IOException {
        gitDir(ws.resolve(".repo/main.git"), "");
        Files.writeString(ws.resolve(".git"), "gitdir: .repo/main.git\n");

        Map<Path, Kind> protections = scan();

        assertEquals(Kind.READ_ONLY, protections.get(p(".git")));
        assertEquals(Kind.PINNED, protections.get(p(".repo")));
        assertEquals(Kind.PINNED, protections.get(p(".repo/main.git")));
        assertEquals(Kind.READ_ONLY, protections.get(p(".repo/main.git/config")));
        assertEquals(Kind.READ_ONLY, protections.get(p(".repo/main.git/hooks")));
    }

    @Test
    void aGitFileWithAnAbsolutePathInsideTheWorkspaceIsFollowed() throws IOException {
        gitDir(ws.resolve("meta"), "");
        Files.writeString(ws.resolve(".git"), "gitdir: " + ws.resolve("meta") + "\n");

        Map<Path, Kind> protections = scan();

        assertEquals(Kind.PINNED, protections.get(p("meta")));
        assertEquals(Kind.READ_ONLY, protections.get(p("meta/config")));
    }

    @Test
    void aGitFilePointingOutsideTheWorkspaceIsMadeReadOnly() throws IOException {
        Path outside = gitDir(tmp.toRealPath().resolve("main/.git/worktrees/project"), "");
        Files.writeString(ws.resolve(".git"), "gitdir: " + outside + "\n");

        assertEquals(withEditorFolders(Map.of(p(".git"), Kind.READ_ONLY)), scan());
        assertFalse(Files.exists(outside.resolve("hooks")), "nothing is created outside the workspace");
    }

    @Test
    void aSymlinkedHooksFolderIsRefused() throws IOException {
        gitDir(ws.resolve(".git"), "");
        Files.createDirectories(ws.resolve("myhooks"));
        Files.createSymbolicLink(ws.resolve(".git/hooks"), ws.resolve("myhooks"));

        SandboxException e = assertThrows(SandboxException.class, this::scan);

        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        assertTrue(e.getMessage().contains(".git/hooks"), e.getMessage());
    }

    @Test
    void aSymlinkedConfigIsRefused() throws IOException {
        gitDir(ws.resolve(".git"), "");
        Files.move(ws.resolve(".git/config"), ws.resolve("real-config"));
        Files.createSymbolicLink(ws.resolve(".git/config"), ws.resolve("real-config"));

        assertThrows(SandboxException.class, this::scan);
    }

    @Test
    void aSymlinkedGitIsRefused() throws IOException {
        gitDir(tmp.toRealPath().resolve("elsewhere"), "");
        Files.createSymbolicLink(ws.resolve(".git"), tmp.toRealPath().resolve("elsewhere"));

        assertThrows(SandboxException.class, this::scan);
    }

    @Test
    void aGitFolderWithoutConfigIsRefused() throws IOException {
        gitDir(ws.resolve(".git"), "");
        Files.delete(ws.resolve(".git/config"));

        assertThrows(SandboxException.class, this::scan);
    }

    @Test
    void aSymlinkedParentOfAHooksPathIsRefused() throws IOException {
        Files.createDirectories(ws.resolve("real/hooks"));
        Files.createSymbolicLink(ws.resolve("linked"), ws.resolve("real"));
        gitDir(ws.resolve(".git"), "\thooksPath = linked/hooks\n");

        assertThrows(SandboxException.class, this::scan);
    }

    @Test
    void existingEditorAndShellStartupFilesAreReadOnly() throws IOException {
        Files.createDirectories(ws.resolve(".vscode"));
        Files.writeString(ws.resolve(".envrc"), "export X=1\n");
        Files.createDirectories(ws.resolve(".idea"));
        Files.createDirectories(ws.resolve(".devcontainer"));

        Map<Path, Kind> protections = scan();

        assertEquals(Kind.READ_ONLY, protections.get(p(".vscode")));
        assertEquals(Kind.READ_ONLY, protections.get(p(".envrc")));
        assertEquals(Kind.READ_ONLY, protections.get(p(".idea")));
        assertEquals(Kind.READ_ONLY, protections.get(p(".devcontainer")));
    }

    @Test
    void missingStartupFilesAddNothingButMissingEditorFoldersAreHeldEmpty() {
        assertEquals(noRepository(), scan());
    }

    @Test
    void aSymlinkedStartupFileIsRefused() throws IOException {
        Files.writeString(tmp.resolve("envrc"), "x");
        Files.createSymbolicLink(ws.resolve(".envrc"), tmp.resolve("envrc"));

        assertThrows(SandboxException.class, this::scan);
    }

    @Test
    void anObjectFolderThatIsALinkIsRefused() throws IOException {
        gitDir(ws.resolve(".git"), "");
        Files.move(ws.resolve(".git/objects"), ws.resolve("objects-elsewhere"));
        Files.createSymbolicLink(ws.resolve(".git/objects"), ws.resolve("objects-elsewhere"));

        SandboxException e = assertThrows(SandboxException.class, this::scan);

        assertTrue(e.getMessage().contains(".git/objects"), e.getMessage());
    }

}
