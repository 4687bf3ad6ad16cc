package dev.corral.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretToolValuesTest {
    private static final String TOOL = "/usr/bin/secret-tool";
    private static final String VALUE = "ghp_REALVALUEREALVALUEREALVALUE0123456";
    private final FakeKeyring keyring = new FakeKeyring();
    private final SecretToolValues values = new SecretToolValues(Path.of(TOOL), keyring);

    @Test
    void storeGivesTheValueOnStdinAndNeverInTheArguments() {
        values.write("github", VALUE);

        FakeKeyring.Call call = keyring.calls.getFirst();
        assertEquals(List.of(TOOL, "store", "--label=Corral secret github", "service", "corral", "secret", "github"), call.argv());
        assertEquals(VALUE, call.stdin(), "exactly the value, no newline added");
        assertFalse(String.join(" ", call.argv()).contains(VALUE));
    }

    @Test
    void lookupAndClearFindTheItemByTheSameAttributes() {
        values.write("github", VALUE);

        assertEquals(Map.of("github", VALUE), values.read(List.of("github", "absent")));
        values.delete("github");

        assertEquals(List.of(TOOL, "lookup", "service", "corral", "secret", "github"), keyring.calls.get(1).argv());
        assertEquals(List.of(TOOL, "lookup", "service", "corral", "secret", "absent"), keyring.calls.get(2).argv());
        assertEquals(List.of(TOOL, "clear", "service", "corral", "secret", "github"), keyring.calls.get(3).argv());
        assertEquals("", keyring.calls.get(1).stdin());
        assertEquals(Map.of(), values.read(List.of("github")));
    }

    @Test
    void aFailingKeyringIsAnErrorWithItsReasonButNotTheValue() {
        keyring.failure = "Cannot create an item in a locked collection";

        SecretException e = assertThrows(SecretException.class, () -> values.write("github", VALUE));

        assertTrue(e.getMessage().contains("locked collection"), e.getMessage());
        assertTrue(e.getMessage().contains("github"), e.getMessage());
        assertFalse(e.getMessage().contains(VALUE));
        assertTrue(e.fix().orElseThrow().contains("CORRAL_SECRET_STORE=file"), e.fix().orElseThrow());
        assertThrows(SecretException.class, () -> values.read(List.of("github")), "a lookup error is not 'no value'");
    }

    @Test
    void aProgramThatCantRunIsAnError() {
        SecretToolValues broken = new SecretToolValues(Path.of(TOOL), (argv, stdin) -> {
            throw new java.io.IOException("Cannot run program");
        });

        SecretException e = assertThrows(SecretException.class, () -> broken.write("github", VALUE));

        assertTrue(e.getMessage().contains("Cannot run program"), e.getMessage());
    }

    @Test
    void theRealRunnerPassesStdinAndCollectsBothStreams() throws Exception {
        ProcessRunner runner = ProcessRunner.system(Map.of(), java.time.Duration.ofSeconds(20));

        ProcessRunner.Result r = runner.run(List.of("/bin/sh", "-c", "cat; echo oops >&2; exit 3"), "abc".getBytes());

        assertEquals(3, r.exit());
        assertEquals("abc", new String(r.stdout()));
        assertEquals("oops\n", r.stderr());
        assertFalse(r.toString().contains("abc"), "the output may be a secret: " + r);
    }
}
