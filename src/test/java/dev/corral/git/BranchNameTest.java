package dev.corral.git;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Branch names typed by the user: a strict subset of git's rules, never an option or an expression. */
class BranchNameTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"fix-login", "feature/login-page", "v1.2", "a", "A_b.c-d/e", "claude-3f2a", "x/y/z", "release-2024.10"})
    void plainNamesAreAccepted(String name) {
        assertEquals(name, BranchName.validate(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-x", "--upload-pack=touch x", "HEAD", "a..b", "a//b", "a/.b", ".hidden", "a/", "a.", "a.lock", "a.lock/b",
            "fix login", "a~1", "a^", "a:b", "a?", "a*", "a[b", "a\\b", "@{-1}", "a@{1}", "/a", "a\nb", "a\u0000b", "caf\u00e9", "a\u202eb",
            "refs/heads/x//", "-", "_x", "x/-y/"})
    void namesGitWouldMisreadAreRejectedWithAFix(String name) {
        GitException e = assertThrows(GitException.class, () -> BranchName.validate(name));
        assertTrue(e.fix().orElseThrow().contains("letters, digits"));
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void aNullOrOverlongNameIsRejected() {
        assertThrows(GitException.class, () -> BranchName.validate(null));
        assertThrows(GitException.class, () -> BranchName.validate("a".repeat(BranchName.MAX_LENGTH + 1)));
        assertEquals(BranchName.MAX_LENGTH, BranchName.validate("a".repeat(BranchName.MAX_LENGTH)).length());
    }

    static Stream<String> randomNames() {
        SplittableRandom random = new SplittableRandom(20240601);
        String alphabet = "ab/.-_Z09~^:?*[\\ @{}\t\n'\"é";
        return IntStream.range(0, 300).mapToObj(i -> {
            StringBuilder name = new StringBuilder();
            int length = 1 + random.nextInt(12);
            for (int j = 0; j < length; j++) name.append(alphabet.charAt(random.nextInt(alphabet.length())));
            return name.toString();
        });
    }

    /** Whatever Corral accepts, git accepts too (check-ref-format), and it never reads as an option. */
    @ParameterizedTest
    @MethodSource("randomNames")
    void everyAcceptedNameIsOneGitAcceptsAsABranch(String name) throws IOException {
        if (!BranchName.isValid(name)) return;
        GitFixture fixture = new GitFixture(tmp);
        GitFixture.Run run = fixture.run(fixture.root, List.of("check-ref-format", "--branch", name));
        assertEquals(0, run.exit(), () -> "git rejects '" + name + "': " + run.err());
        assertTrue(!name.startsWith("-"));
    }

    @Test
    void autoNamesAreTheAgentAndFourHexDigits() {
        Random random = new Random(7);
        String name = BranchName.auto("claude", random);
        assertTrue(name.matches("claude-[0-9a-f]{4}"), name);
        assertTrue(BranchName.auto("My Agent!", random).matches("My-Agent-[0-9a-f]{4}"));
        assertTrue(BranchName.auto("--upload-pack=x", random).matches("upload-pack-x-[0-9a-f]{4}"));
        assertTrue(BranchName.auto("", random).matches("sandbox-[0-9a-f]{4}"));
        assertTrue(BranchName.auto("a".repeat(300), random).length() <= BranchName.MAX_LENGTH);
    }

    @Test
    void autoNamesDifferWithTheRandomSource() {
        Random random = new Random(1);
        assertTrue(IntStream.range(0, 20).mapToObj(i -> BranchName.auto("codex", random)).distinct().count() > 15);
    }

    @Test
    void theSandboxSuffixIsLowerCaseWithoutSlashes() {
        assertEquals("feature-login", BranchName.sandboxSuffix("Feature/Login"));
        assertThrows(GitException.class, () -> BranchName.sandboxSuffix("../x"));
    }
}
