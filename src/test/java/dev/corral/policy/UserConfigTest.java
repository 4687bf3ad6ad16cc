package dev.corral.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading the user's config.toml strictly. */
class UserConfigTest {
    private static final Path FILE = Path.of("/home/alice/.config/corral/config.toml");
    private static final String SOURCE = "config config.toml";

    @TempDir
    Path tmp;

    private static UserConfig parse(String... lines) {
        return UserConfig.parse(FILE, String.join("\n", lines));
    }

    private static NetworkRule allow(String pattern) {
        return new NetworkRule(NetworkRule.Action.ALLOW, HostPattern.parse(pattern), SOURCE);
    }

    private static NetworkRule deny(String pattern) {
        return new NetworkRule(NetworkRule.Action.DENY, HostPattern.parse(pattern), SOURCE);
    }

    /** Asserts that the lines are refused with the file and the line number in the message. */
    private static PolicyException refused(int line, String... lines) {
        PolicyException e = assertThrows(PolicyException.class, () -> parse(lines));
        assertTrue(e.getMessage().startsWith(FILE + ":" + line + ": "), e.getMessage());
        return e;
    }

    @Test
    void theDocumentedExampleIsRead() {
        UserConfig config = parse(
                "[network]",
                "allow = [\"internal.example.com\"]      # in every sandbox of this user",
                "deny = [\"telemetry.example.com\"]",
                "ca-files = [\"/etc/corp/root-ca.pem\"]  # trusted upstream");

        assertEquals(List.of(allow("internal.example.com"), deny("telemetry.example.com")), config.rules());
        assertEquals(List.of(Path.of("/etc/corp/root-ca.pem")), config.caFiles());
    }

    @Test
    void anEmptyFileIsAnEmptyConfig() {
        assertEquals(UserConfig.EMPTY, parse(""));
        assertEquals(UserConfig.EMPTY, parse("# only a comment", "", "   ", "[network]"));
    }

    @Test
    void severalValuesAndRepeatedKeysAddUp() {
        UserConfig config = parse(
                "[network]",
                "allow = [\"a.example.com\", \"*.b.example.com:443\",\"[2001:db8::1]\"]",
                "allow = []",
                "allow = [\"c.example.com\",]");

        assertEquals(List.of(allow("a.example.com"), allow("*.b.example.com:443"), allow("[2001:db8::1]"), allow("c.example.com")),
                config.rules());
    }

    @Test
    void spacesAroundTheTableNameAndTheEqualsSignAreFine() {
        assertEquals(List.of(allow("a.example.com")), parse("  [ network ]  ", "   allow=[ \"a.example.com\" ]   ").rules());
    }

    @Test
    void windowsLineEndingsAreFine() {
        UserConfig config = UserConfig.parse(FILE, "[network]\r\nallow = [\"a.example.com\"]\r\n");

        assertEquals(List.of(allow("a.example.com")), config.rules());
    }

    @Test
    void aHashInsideAStringIsNotAComment() {
        UserConfig config = parse("[network]", "ca-files = [\"/etc/ca#1.pem\"] # the # here is a comment");

        assertEquals(List.of(Path.of("/etc/ca#1.pem")), config.caFiles());
    }

    @Test
    void escapesInStringsAreRead() {
        UserConfig config = parse("[network]", "ca-files = [\"/etc/say \\\"hi\\\".pem\", \"/etc/back\\\\slash.pem\", \"/etc/t\\tn\\n.pem\"]");

        assertEquals(List.of(Path.of("/etc/say \"hi\".pem"), Path.of("/etc/back\\slash.pem"), Path.of("/etc/t\tn\n.pem")),
                config.caFiles());
    }

    @Test
    void anEscapedQuoteDoesNotEndTheStringBeforeAHash() {
        UserConfig config = parse("[network]", "ca-files = [\"/etc/q\\\"#x.pem\"]");

        assertEquals(List.of(Path.of("/etc/q\"#x.pem")), config.caFiles());
    }

    @Test
    void aStringEndingInAnEscapedBackslashIsClosedBeforeAComment() {
        UserConfig config = parse("[network]", "ca-files = [\"/etc/ca\\\\\"] # a comment");

        assertEquals(List.of(Path.of("/etc/ca\\")), config.caFiles());
    }

    @Test
    void anUnknownTableIsRefused() {
        PolicyException e = refused(3, "# settings", "", "[proxy]", "allow = [\"a.example.com\"]");

        assertTrue(e.getMessage().contains("unknown table [proxy]"), e.getMessage());
    }

    @Test
    void anUnknownKeyIsRefusedWithItsTable() {
        PolicyException e = refused(3, "[network]", "allow = [\"a.example.com\"]", "allowed = [\"b.example.com\"]");

        assertTrue(e.getMessage().contains("unknown key 'allowed' in [network]"), e.getMessage());
    }

    @Test
    void aKeyOutsideATableIsRefused() {
        PolicyException e = refused(1, "allow = [\"a.example.com\"]", "[network]");

        assertTrue(e.getMessage().contains("outside a table"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "allow = \"a.example.com\"| must be a list",
            "allow = [a.example.com]| double-quoted",
            "allow = ['a.example.com']| double-quoted",
            "allow = [\"a.example.com\" \"b.example.com\"]| expected ','",
            "allow = [\"a.example.com]| unterminated string",
            "allow = [\"a.example.com\\]| unterminated string",
            "allow = [\"a\\x.example.com\"]| unknown escape \\x",
            "allow = true| must be a list",
            "allow = | must be a list",
            "allow [\"a.example.com\"]| expected key = value",
            "= [\"a.example.com\"]| expected key = value",
            "allow = [\"*\"]| matches every host",
            "deny = [\"*.com\"]| too broad",
            "allow = [\"exa mple.com\"]| invalid host pattern",
            "ca-files = [\"relative/ca.pem\"]| absolute paths",
            "[network| closing ']'"})
    void aBadValueIsRefusedWithTheFileAndLine(String line, String why) {
        PolicyException e = refused(2, "[network]", line, "allow = [\"fine.example.com\"]");

        assertTrue(e.getMessage().contains(why.strip()), e.getMessage());
    }

    @Test
    void theErrorNamesTheLineEvenAfterCommentsAndBlankLines() {
        refused(5, "# comment", "[network]", "", "allow = [\"a.example.com\"] # fine", "deny = [\"*\"]");
    }

    @Test
    void aMissingFileIsAnEmptyConfig() {
        assertEquals(UserConfig.EMPTY, UserConfig.load(tmp.resolve("nowhere")));
    }

    @Test
    void theFileInTheConfigFolderIsLoaded() throws IOException {
        Files.writeString(UserConfig.file(tmp), "[network]\ndeny = [\"telemetry.example.com\"]\n");

        assertEquals(List.of(deny("telemetry.example.com")), UserConfig.load(tmp).rules());
    }

    @Test
    void anErrorInALoadedFileNamesThatFile() throws IOException {
        Files.writeString(UserConfig.file(tmp), "[network]\nbogus = []\n");

        PolicyException e = assertThrows(PolicyException.class, () -> UserConfig.load(tmp));

        assertTrue(e.getMessage().startsWith(tmp.resolve("config.toml") + ":2: "), e.getMessage());
    }

    @Test
    void anUnreadableFileIsAnErrorNotAnEmptyConfig() throws IOException {
        Files.createDirectories(UserConfig.file(tmp));

        assertThrows(PolicyException.class, () -> UserConfig.load(tmp));
    }

    @Test
    void theDefaultBackendIsNativeUnlessTheFileNamesDocker() {
        assertEquals("native", parse("[network]", "allow = [\"a.example.com\"]").defaultBackend());
        assertEquals("docker", parse("backend = \"docker\"", "[network]", "allow = [\"a.example.com\"]").defaultBackend());
        assertEquals("native", parse("backend = \"native\"").defaultBackend());
    }

    @Test
    void anUnknownBackendIsRefusedWithItsLine() {
        PolicyException e = refused(2, "# what new sandboxes run on", "backend = \"vm\"");
        assertTrue(e.getMessage().contains("docker"), e.getMessage());
    }
}
