package dev.corral.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attack scripts run inside a sandbox, and the host-side bookkeeping around them.
 *
 * <p>A script gets two shell functions: {@code attempt 'CMD'} runs CMD and prints
 * {@code ESCAPED: CMD} if it succeeded; {@code escaped WHAT} prints {@code ESCAPED: WHAT}. The
 * script must run to its end (so a sandbox that failed to start never passes for a blocked
 * attack), and no line may report an escape. Secrets planted on the host are never passed into
 * the sandbox: a read attack prints what it could read and the test checks the secret is absent.
 */
final class Attacks {
    private static final String FINISHED = "corral-attack-script-finished";
    private static final String PRELUDE = """
            escaped() { echo "ESCAPED: $*"; }
            attempt() { if (eval "$1") >/dev/null 2>&1; then escaped "$1"; fi; }
            """;

    private Attacks() {
    }

    /** Runs the script in a sandbox of the workspace and asserts it ran to its end with nothing escaped. */
    static CorralHarness.Result blocked(CorralHarness corral, String script) {
        return blocked(corral, Map.of(), script);
    }

    /** As {@link #blocked(CorralHarness, String)}, with shell variables set first (values single-quoted). */
    static CorralHarness.Result blocked(CorralHarness corral, Map<String, String> variables, String script) {
        CorralHarness.Result r = ran(corral, variables, script);
        String escapes = r.stdout().lines().filter(line -> line.startsWith("ESCAPED")).collect(Collectors.joining("\n"));
        assertEquals("", escapes, () -> "attacks that got through inside the sandbox (" + corral.invoker() + "):\n" + r);
        return r;
    }

    /** Runs the script to its end without judging its output. */
    static CorralHarness.Result ran(CorralHarness corral, Map<String, String> variables, String script) {
        String assignments = new TreeMap<>(variables).entrySet().stream()
                .map(e -> e.getKey() + "='" + e.getValue().replace("'", "'\\''") + "'\n")
                .collect(Collectors.joining());
        CorralHarness.Result r = corral.sandbox(PRELUDE + assignments + script + "\necho " + FINISHED + "\n");
        System.out.println("=== attack as " + corral.invoker() + "\n" + script + "--- " + r);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.stdout().contains(FINISHED), () -> "the attack script did not run to its end:\n" + r);
        return r;
    }

    /** Asserts the sandbox's output never showed the secret. */
    static void assertNeverShown(CorralHarness.Result r, String secret) {
        assertFalse(r.stdout().contains(secret) || r.stderr().contains(secret), () -> "the sandbox read " + secret + ":\n" + r);
    }

    /** A fresh random word, to tell planted secrets and probe names apart between runs. */
    static String token() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    /**
     * Writes a world-readable file on the host, creating its folders; everything created below
     * the harness root is handed to the invoking user, so the host user could read and write it.
     */
    static Path plant(CorralHarness corral, Path file, String content) {
        try {
            Path top = file.getParent();
            while (top.getParent() != null && !Files.exists(top.getParent())) top = top.getParent();
            boolean fresh = !Files.exists(top);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            if (file.startsWith(corral.root())) corral.chownTree(fresh ? top : file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
