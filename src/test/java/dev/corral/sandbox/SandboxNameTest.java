package dev.corral.sandbox;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SandboxNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "0", "shell-project", "my.project_2", "a-", "a.", "x-y.z_w"})
    void plainNamesAreValid(String name) {
        assertEquals(name, new SandboxName(name).value());
    }

    @Test
    void sixtyThreeCharactersAreTheLongestName() {
        assertDoesNotThrow(() -> new SandboxName("a".repeat(63)));
        assertThrows(SandboxException.class, () -> new SandboxName("a".repeat(64)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "..", ".", "a..b", "../x", "a/b", "/a", "UPPER", "Shell", "-x", ".x", "_x", "a b",
            "a\nb", "a\u0000b", "é", "a:b", "a\\b", "a*", "~a"})
    void namesThatCouldEscapeAFolderOrConfuseAUserAreInvalid(String name) {
        SandboxException e = assertThrows(SandboxException.class, () -> new SandboxName(name));

        assertTrue(e.getMessage().startsWith("invalid sandbox name"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "the message stays one line");
        assertTrue(e.fix().isPresent());
    }

    @Test
    void aNullNameIsInvalid() {
        assertThrows(SandboxException.class, () -> new SandboxName(null));
    }

    @ParameterizedTest
    @CsvSource({
            "shell, project, shell-project",
            "shell, My Project, shell-my-project",
            "shell, UPPER, shell-upper",
            "shell, .hidden, shell-hidden",
            "shell, ---x---, shell-x",
            "shell, a..b, shell-a.b",
            "shell, .., shell-root",
            "shell, ., shell-root",
            "shell, ünï, shell-n",
            "shell, 日本, shell-root",
            "shell, '', shell-root",
            "claude, api_server.v2, claude-api_server.v2",
    })
    void derivedNamesFoldOddCharacters(String agent, String folder, String expected) {
        assertEquals(expected, SandboxName.derive(agent, folder).value());
    }

    @Test
    void aLongFolderNameIsCutToAValidName() {
        SandboxName name = SandboxName.derive("shell", "x".repeat(100));

        assertEquals(63, name.value().length());
        assertTrue(name.value().startsWith("shell-xxx"));
    }

    @Test
    void aCutNeverEndsInPunctuation() {
        SandboxName name = SandboxName.derive("shell", "x".repeat(56) + "-.-.-yyyy");

        assertTrue(name.value().matches(".*[a-z0-9]"), name.value());
    }

    @Test
    void anyFolderNameDerivesAValidName() {
        Random random = new Random(42);
        String alphabet = "aZ9._- /\\:*?\"'\n\t..é日-_";
        for (int i = 0; i < 5000; i++) {
            StringBuilder folder = new StringBuilder();
            int length = random.nextInt(80);
            for (int j = 0; j < length; j++) folder.append(alphabet.charAt(random.nextInt(alphabet.length())));
            String text = folder.toString();
            SandboxName name = assertDoesNotThrow(() -> SandboxName.derive("shell", text), text);
            assertTrue(name.value().startsWith("shell-"), name.value());
        }
    }
}
