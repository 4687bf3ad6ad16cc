package dev.corral.git;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which remote URLs a sandbox's checkout may carry, and how the object folders are listed for it. */
class RemoteUrlsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"https://github.com/acme/x.git", "git@github.com:acme/x.git", "ssh://git@github.com/acme/x.git",
            "ssh://github.com:22/acme/x.git", "git://example.com/x", "/srv/git/x.git", "../sibling", "file:///srv/x.git",
            "https://example.com/@scope/pkg.git", "https://example.com/x?ref=main"})
    void urlsWithoutCredentialsAreShared(String url) {
        assertTrue(RemoteUrls.isShareable(url), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://ghp_token@github.com/acme/x.git", "https://ada:hunter2@example.com/x", "http://token@example.com/x",
            "ssh://ada:hunter2@example.com/x", "ada:hunter2@example.com:x.git", "HTTPS://tok@example.com/x", "https://x@y@example.com/z",
            "https://example.com/x\nhttps://tok@example.com", "", "-uhttps://x", "--upload-pack=touch x"})
    void urlsWithCredentialsOrOddCharactersAreNot(String url) {
        assertFalse(RemoteUrls.isShareable(url), url);
    }

    @Test
    void remoteNamesAreKeptPlain() {
        assertTrue(RemoteUrls.isPlainName("origin"));
        assertTrue(RemoteUrls.isPlainName("up.stream-2"));
        for (String odd : List.of("", "-x", "a b", "a\"b", "a]b", "a..b", "a/b")) assertFalse(RemoteUrls.isPlainName(odd), odd);
    }

    @Test
    void quotedAndCommentedAlternatesAreReadAsGitReadsThem() throws IOException {
        Path file = tmp.resolve("alternates");
        Files.writeString(file, "# comment\n/plain/objects\n\"/with\\ttab\\\\and\\\"quote/objects\"\n\n\"/octal\\303\\251\"\n");
        assertEquals(List.of("/plain/objects", "/with\ttab\\and\"quote/objects", "/octal\u00c3\u00a9"), ObjectDirectories.entries(file));
    }

    @Test
    void anAlternatesFileIsNeverWrittenWithAPathGitWouldMisread() {
        assertEquals("/a/objects\n/b/objects\n", ObjectDirectories.alternatesFile(List.of(Path.of("/a/objects"), Path.of("/b/objects"))));
        for (String odd : List.of("/a\nb", "\"/q", "#x")) {
            org.junit.jupiter.api.Assertions.assertThrows(GitException.class, () -> ObjectDirectories.alternatesFile(List.of(Path.of(odd))));
        }
    }
}
