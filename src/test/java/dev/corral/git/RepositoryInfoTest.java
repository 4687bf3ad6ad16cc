package dev.corral.git;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What --branch learns about the user's repository, and the one-line errors when it can't. */
class RepositoryInfoTest {
    @TempDir
    Path tmp;
    GitFixture fixture;

    @BeforeEach
    void fixture() throws IOException {
        fixture = new GitFixture(tmp);
    }

    @Test
    void aSubfolderLeadsToTheTopAndTheSharedGitFolder() throws IOException {
        Path repo = fixture.repository("r");
        RepositoryInfo info = fixture.inspect(repo.resolve("src"));
        assertEquals(repo, info.top());
        assertEquals(repo.resolve(".git"), info.commonDir());
        assertEquals(fixture.head(repo), info.headCommit());
        assertEquals(Optional.of("main"), info.currentBranch());
        assertEquals("sha1", info.objectFormat());
        assertEquals(List.of(repo.resolve(".git/objects")), info.objectDirectories());
    }

    @Test
    void aDetachedHeadHasNoCurrentBranch() throws IOException {
        Path repo = fixture.repository("r");
        fixture.git(repo, "checkout", "-q", "--detach");
        assertEquals(Optional.empty(), fixture.inspect(repo).currentBranch());
    }

    @Test
    void aLinkedWorktreeSharesTheMainRepositorysGitFolder() throws IOException {
        Path repo = fixture.repository("r");
        Path linked = fixture.root.resolve("linked");
        fixture.git(repo, "worktree", "add", "-q", "-b", "other", linked.toString());
        RepositoryInfo info = fixture.inspect(linked);
        assertEquals(linked, info.top());
        assertEquals(repo.resolve(".git"), info.commonDir());
        assertEquals(Optional.of("other"), info.currentBranch());
    }

    @Test
    void theAlternatesChainIsFollowedWithRelativeEntriesResolved() throws IOException {
        Path upstream = fixture.repository("upstream");
        Path middle = fixture.root.resolve("middle.git");
        fixture.git(fixture.root, "clone", "-q", "--bare", "--shared", upstream.toString(), middle.toString());
        Path repo = fixture.root.resolve("r");
        fixture.git(fixture.root, "clone", "-q", "--shared", middle.toString(), repo.toString());
        // make the first link relative, as git allows
        Files.writeString(repo.resolve(".git/objects/info/alternates"), "../../../middle.git/objects\n# a comment\n");
        RepositoryInfo info = fixture.inspect(repo);
        assertEquals(List.of(repo.resolve(".git/objects"), middle.resolve("objects"), upstream.resolve(".git/objects")), info.objectDirectories());
    }

    @Test
    void missingAlternatesAreLeftOut() throws IOException {
        Path repo = fixture.repository("r");
        Files.writeString(repo.resolve(".git/objects/info/alternates"), fixture.root.resolve("gone/objects") + "\n");
        assertEquals(List.of(repo.resolve(".git/objects")), fixture.inspect(repo).objectDirectories());
    }

    @Test
    void aSha256RepositoryIsRecognised() throws IOException {
        Path repo = fixture.sha256Repository("r");
        RepositoryInfo info = fixture.inspect(repo);
        assertEquals("sha256", info.objectFormat());
        assertEquals(64, info.headCommit().length());
    }

    @Test
    void aFolderOutsideAnyRepositoryIsExplained() throws IOException {
        Path plain = Files.createDirectories(fixture.root.resolve("plain"));
        GitException e = assertThrows(GitException.class, () -> fixture.inspect(plain));
        assertEquals("--branch needs a git repository: " + plain + " is not in one", e.getMessage());
        assertEquals("git init, commit, then try again; or run without --branch", e.fix().orElseThrow());
    }

    @Test
    void aRepositoryWithoutCommitsIsExplained() throws IOException {
        Path repo = Files.createDirectories(fixture.root.resolve("r"));
        fixture.git(repo, "init", "-q");
        GitException e = assertThrows(GitException.class, () -> fixture.inspect(repo));
        assertTrue(e.getMessage().contains("has none yet"), e.getMessage());
        assertTrue(e.fix().orElseThrow().startsWith("commit once"));
    }

    @Test
    void aMissingGitIsExplained() throws IOException {
        Path repo = fixture.repository("r");
        Map<String, String> noGit = Map.of("PATH", fixture.root.resolve("nowhere").toString(), "HOME", fixture.home.toString());
        GitException e = assertThrows(GitException.class, () -> RepositoryInfo.inspect(repo, noGit));
        assertTrue(e.getMessage().startsWith("git is not installed"), e.getMessage());
        assertTrue(e.fix().orElseThrow().contains("install git"));
    }

    @Test
    void theUsersFsmonitorAndHooksDoNotRun() throws IOException {
        Path repo = fixture.repository("r");
        Path marker = fixture.root.resolve("ran");
        Path script = GitFixture.markerScript(fixture.root.resolve("monitor.sh"), marker);
        fixture.git(repo, "config", "core.fsmonitor", script.toString());
        GitFixture.markerScript(repo.resolve(".git/hooks/reference-transaction"), marker);
        fixture.inspect(repo);
        GitFixture.assertAbsent(marker);
    }
}
