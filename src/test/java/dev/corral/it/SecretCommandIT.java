package dev.corral.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code corral secret}, through the packaged jar as root and as an ordinary user: values go in on
 * stdin, come out nowhere (not in output, not in plain text on disk), and the files are the user's
 * alone. The test user has no desktop session, so values land in the encrypted file.
 */
class SecretCommandIT {
    private static final String VALUE = "sk-ant-api03-IT-REAL-VALUE-" + "Zq7".repeat(20);

    @ParameterizedTest
    @EnumSource(Invoker.class)
    void aSecretSetOnStdinIsListedWithoutItsValueStoredPrivatelyAndRemoved(Invoker invoker) throws IOException {
        try (CorralHarness corral = new CorralHarness(invoker)) {
            CorralHarness.Result set = corral.corralWithInput(VALUE + "\n", "secret", "set", "anthropic");
            assertEquals(0, set.exit(), set::toString);
            assertTrue(set.stdout().contains("ANTHROPIC_API_KEY"), set::toString);

            CorralHarness.Result ls = corral.corral("secret", "ls");
            assertEquals(0, ls.exit(), ls::toString);
            assertTrue(ls.stdout().lines().anyMatch(l -> l.matches("anthropic\\s+ANTHROPIC_API_KEY\\s+api\\.anthropic\\.com\\s+file")), ls::toString);
            assertFalse(ls.stdout().contains("sk-ant-api03-corral-"), "the table leaves the placeholder out: " + ls);

            CorralHarness.Result json = corral.corral("secret", "ls", "--json");
            assertEquals(0, json.exit(), json::toString);
            assertTrue(json.stdout().contains("\"placeholder\": \"sk-ant-api03-corral-"), json::toString);

            for (CorralHarness.Result r : List.of(set, ls, json)) assertFalse((r.stdout() + r.stderr()).contains(VALUE), r::toString);
            assertPrivateFiles(corral);
            assertEquals(Map.of("anthropic", VALUE), decrypt(corral), "the file holds the value, encrypted");
            CorralHarness.Result grep = corral.host("grep", "-rF", "-l", VALUE, corral.home().toString());
            assertEquals(1, grep.exit(), "the value is nowhere in plain text under the home: " + grep);
            assertFalse(Files.exists(corral.workspace().resolve(".corral")), "nothing is written to the workspace");

            CorralHarness.Result rm = corral.corral("secret", "rm", "anthropic");
            assertEquals(0, rm.exit(), rm::toString);
            assertEquals("[]\n", corral.corral("secret", "ls", "--json").stdout());
            assertEquals(Map.of(), decrypt(corral));
        }
    }

    @ParameterizedTest
    @EnumSource(Invoker.class)
    void concurrentSetsFromSeveralProcessesKeepEveryUpdate(Invoker invoker) throws IOException {
        try (CorralHarness corral = new CorralHarness(invoker)) {
            String script = "for i in 1 2 3 4 5; do printf 'value-%s\\n' $i | \"$@\" c$i --host h$i.example.com --env V_$i & done; wait";

            CorralHarness.Result r = corral.corralVia(List.of("/bin/sh", "-c", script, "sh"), Map.of(), "secret", "set-custom");

            assertEquals(0, r.exit(), r::toString);
            assertEquals(Map.of("c1", "value-1", "c2", "value-2", "c3", "value-3", "c4", "value-4", "c5", "value-5"), decrypt(corral), r::toString);
            CorralHarness.Result ls = corral.corral("secret", "ls");
            for (int i = 1; i <= 5; i++) assertTrue(ls.stdout().contains("V_" + i), ls::toString);
        }
    }

    @ParameterizedTest
    @EnumSource(Invoker.class)
    void badInputIsRefusedWithOneLineAndNothingStored(Invoker invoker) {
        try (CorralHarness corral = new CorralHarness(invoker)) {
            CliContractIT.assertOneLineFailure(corral.corralWithInput("x\n", "secret", "set", "gitlab"), "unknown service 'gitlab'");
            CliContractIT.assertOneLineFailure(corral.corralWithInput("x\n", "secret", "set", "github", "--host", "*.com"), "too broad");
            CliContractIT.assertOneLineFailure(corral.corralWithInput("x\n", "secret", "set-custom", "svc", "--host", "*", "--env", "SVC_KEY"), "too broad");
            CliContractIT.assertOneLineFailure(corral.corralWithInput("x\n", "secret", "set-custom", "svc", "--host", "a.example.com", "--env", "LD_PRELOAD"), "reserved");
            CliContractIT.assertOneLineFailure(corral.corralWithInput("\n", "secret", "set", "openai"), "empty");
            CliContractIT.assertOneLineFailure(corral.corral("secret", "set", "openai"), "empty");
            CliContractIT.assertOneLineFailure(corral.corral("secret", "rm", "nope"), "no secret named nope");
            CliContractIT.assertOneLineFailure(corral.corral("secret", "frobnicate"), "unknown subcommand");
            assertEquals("[]\n", corral.corral("secret", "ls", "--json").stdout());
        }
    }

    @ParameterizedTest
    @EnumSource(Invoker.class)
    void aKeyOpenToOthersIsRefusedWithTheChmodFix(Invoker invoker) throws IOException {
        try (CorralHarness corral = new CorralHarness(invoker)) {
            assertEquals(0, corral.corralWithInput("one\n", "secret", "set", "openai").exit());
            Path key = keyFile(corral);
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

            CorralHarness.Result r = corral.corralWithInput("two\n", "secret", "set", "github");

            CliContractIT.assertOneLineFailure(r, key.toString());
            assertTrue(r.stderr().contains("chmod 600 " + key), r::toString);
        }
    }

    @ParameterizedTest
    @EnumSource(Invoker.class)
    void aTamperedValuesFileIsDetected(Invoker invoker) throws IOException {
        try (CorralHarness corral = new CorralHarness(invoker)) {
            assertEquals(0, corral.corralWithInput("one\n", "secret", "set", "openai").exit());
            Path values = secretsDir(corral).resolve("values.enc");
            byte[] bytes = Files.readAllBytes(values);
            bytes[bytes.length - 1] ^= 0x40;
            Files.write(values, bytes);

            CliContractIT.assertOneLineFailure(corral.corralWithInput("two\n", "secret", "set", "github"), "integrity check");
        }
    }

    /**
     * With a desktop session (a D-Bus session bus with an unlocked GNOME Keyring), values go to the
     * keyring through secret-tool and no values file or key is made. Needs gnome-keyring,
     * libsecret-tools and dbus (dbus-run-session) on the machine.
     */
    @ParameterizedTest
    @EnumSource(Invoker.class)
    void withADesktopKeyringTheValueGoesThereAndNowhereElse(Invoker invoker) throws IOException {
        for (String program : List.of("/usr/bin/dbus-run-session", "/usr/bin/gnome-keyring-daemon", "/usr/bin/secret-tool")) {
            assertTrue(Files.isExecutable(Path.of(program)), program + " is not installed (bin/test installs it as root: apt-get install dbus gnome-keyring libsecret-tools)");
        }
        try (CorralHarness corral = new CorralHarness(invoker)) {
            String script = String.join("\n",
                    "mkdir -p -m 700 \"$XDG_RUNTIME_DIR\"",
                    "eval \"$(printf '\\n' | gnome-keyring-daemon --unlock --components=secrets)\" >/dev/null",
                    "printf '%s\\n' '" + VALUE + "' | \"$@\" set anthropic || exit 10",
                    "\"$@\" ls --json || exit 11",
                    "echo \"lookup:$(secret-tool lookup service corral secret anthropic)\"",
                    "\"$@\" rm anthropic || exit 12",
                    "secret-tool lookup service corral secret anthropic; echo \"after-rm:$?\"");

            CorralHarness.Result r = corral.corralVia(List.of("/usr/bin/dbus-run-session", "--", "/bin/sh", "-c", script, "sh"), Map.of(), "secret");

            assertEquals(0, r.exit(), r::toString);
            assertTrue(r.stdout().contains("\"store\": \"secret-service\""), r::toString);
            assertTrue(r.stdout().contains("lookup:" + VALUE + "\n"), "the keyring holds the exact value: " + r);
            assertTrue(r.stdout().contains("after-rm:1"), "rm clears the keyring item: " + r);
            assertEquals(1, r.stdout().split(VALUE, -1).length - 1, "only the test's own lookup printed the value: " + r);
            assertFalse(Files.exists(secretsDir(corral).resolve("values.enc")));
            assertFalse(Files.exists(keyFile(corral)));
        }
    }

    // --- helpers

    private static Path secretsDir(CorralHarness corral) {
        return corral.home().resolve(".local/share/corral/secrets");
    }

    private static Path keyFile(CorralHarness corral) {
        return corral.home().resolve(".config/corral/keys/secrets.key");
    }

    private static void assertPrivateFiles(CorralHarness corral) throws IOException {
        Path dir = secretsDir(corral);
        Path key = keyFile(corral);
        for (Path p : List.of(dir, key.getParent())) assertMode("rwx------", p, corral);
        for (Path p : List.of(dir.resolve("index.json"), dir.resolve("values.enc"), key)) assertMode("rw-------", p, corral);
        assertEquals(32, Files.size(key));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(".lock", "index.json", "values.enc"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    private static void assertMode(String mode, Path path, CorralHarness corral) throws IOException {
        assertEquals(mode, PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS)), path.toString());
        assertEquals((int) corral.uid(), Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS), path + " belongs to the invoking user");
    }

    /** Reads values.enc as documented (format 1: magic, version, 12-byte nonce, AES-GCM with the header as AAD). */
    private static Map<String, String> decrypt(CorralHarness corral) {
        try {
            byte[] file = Files.readAllBytes(secretsDir(corral).resolve("values.enc"));
            byte[] key = Files.readAllBytes(keyFile(corral));
            assertEquals("CORRALSV", new String(file, 0, 8, StandardCharsets.US_ASCII));
            assertEquals(1, file[8]);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, file, 9, 12));
            cipher.updateAAD(file, 0, 9);
            String json = new String(cipher.doFinal(Arrays.copyOfRange(file, 21, file.length)), StandardCharsets.UTF_8);
            Map<String, String> values = new java.util.TreeMap<>();
            dev.corral.support.Json.parseObject(json).forEach((k, v) -> values.put(k, (String) v));
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError("values.enc does not decrypt with secrets.key", e);
        }
    }
}
