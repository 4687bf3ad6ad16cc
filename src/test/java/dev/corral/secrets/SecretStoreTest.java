package dev.corral.secrets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.sandbox.CorralPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretStoreTest {
    private static final String VALUE = "sk-ant-api03-REAL-VALUE-do-not-leak-0123456789";
    private static final ServiceCatalog CATALOG = ServiceCatalog.builtIn();

    @TempDir
    Path tmp;

    private CorralPaths paths;
    private SecretStore store;
    private Path dir;
    private Path keyFile;

    @BeforeEach
    void store() {
        paths = new CorralPaths(tmp.resolve("home"), tmp.resolve("data/corral"), tmp.resolve("config/corral"), tmp.resolve("run/corral"));
        store = SecretStore.open(paths, Map.of());
        dir = SecretStore.directory(paths);
        keyFile = SecretStore.keyFile(paths);
    }

    private SecretEntry setAnthropic(String value) {
        return store.set(CATALOG.service("anthropic", List.of()), value);
    }

    @Test
    void aStoredSecretIsResolvedWithItsValue() {
        SecretEntry entry = setAnthropic(VALUE);

        assertEquals(List.of(new ResolvedSecret(entry, VALUE)), store.resolveAll());
        assertEquals(List.of(entry), store.entries());
        assertEquals(List.of("ANTHROPIC_API_KEY"), entry.envVars());
        assertEquals(List.of("api.anthropic.com"), entry.hosts());
        assertEquals(SecretEntry.FILE, entry.store());
    }

    @Test
    void aNewStoreSeesWhatAnotherStoredAndNothingBefore() {
        assertEquals(List.of(), store.entries());
        assertEquals(List.of(), store.resolveAll());
        setAnthropic(VALUE);

        SecretStore other = SecretStore.open(paths, Map.of());

        assertEquals(VALUE, other.resolveAll().getFirst().value());
    }

    @Test
    void theValueIsNowhereInPlainText() throws IOException {
        setAnthropic(VALUE);

        for (Path file : files(tmp)) {
            byte[] content = Files.readAllBytes(file);
            assertFalse(new String(content, StandardCharsets.ISO_8859_1).contains(VALUE), file + " holds the value");
        }
        assertTrue(Files.readString(dir.resolve("index.json")).contains(store.entries().getFirst().placeholder()),
                "the index holds the placeholder");
    }

    @Test
    void settingAgainReplacesValueAndHostsButKeepsPlaceholderAndCreationTime() {
        SecretEntry first = setAnthropic(VALUE);

        SecretEntry second = store.set(CATALOG.service("anthropic", List.of("anthropic.example.com")), "new-value");

        assertEquals(first.placeholder(), second.placeholder());
        assertEquals(first.created(), second.created());
        assertEquals(List.of("api.anthropic.com", "anthropic.example.com"), second.hosts());
        assertEquals(List.of(new ResolvedSecret(second, "new-value")), store.resolveAll());
    }

    @Test
    void theFilesArePrivate() throws IOException {
        setAnthropic(VALUE);

        assertEquals("rwx------", mode(dir));
        assertEquals("rw-------", mode(dir.resolve("index.json")));
        assertEquals("rw-------", mode(dir.resolve("values.enc")));
        assertEquals("rwx------", mode(keyFile.getParent()));
        assertEquals("rw-------", mode(keyFile));
        assertEquals(32, Files.size(keyFile));
        assertEquals(List.of(".lock", "index.json", "values.enc"), names(dir), "no temporary file is left");
        assertEquals(List.of("secrets.key"), names(keyFile.getParent()));
    }

    @Test
    void aKeyFileOpenToOthersIsRefusedWithTheChmodFix() throws IOException {
        setAnthropic(VALUE);
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));

        SecretException e = assertThrows(SecretException.class, store::resolveAll);

        assertTrue(e.getMessage().contains(keyFile.toString()), e.getMessage());
        assertEquals("chmod 600 " + keyFile, e.fix().orElseThrow());
        assertThrows(SecretException.class, () -> setAnthropic("other"), "nor is it used to write");
    }

    @Test
    void aValuesFileOpenToOthersIsRefused() throws IOException {
        setAnthropic(VALUE);
        Path values = dir.resolve("values.enc");
        Files.setPosixFilePermissions(values, PosixFilePermissions.fromString("rw----r--"));

        SecretException e = assertThrows(SecretException.class, store::resolveAll);

        assertEquals("chmod 600 " + values, e.fix().orElseThrow());
    }

    @Test
    void aSecretsFolderOpenToOthersIsRefused() throws IOException {
        setAnthropic(VALUE);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));

        SecretException e = assertThrows(SecretException.class, store::resolveAll);

        assertEquals("chmod 700 " + dir, e.fix().orElseThrow());
    }

    @Test
    void aKeyThatIsASymbolicLinkIsRefused() throws IOException {
        setAnthropic(VALUE);
        Path real = tmp.resolve("elsewhere.key");
        Files.move(keyFile, real);
        Files.createSymbolicLink(keyFile, real);

        SecretException e = assertThrows(SecretException.class, store::resolveAll);

        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    }

    @Test
    void aTamperedValuesFileFailsItsIntegrityCheck() throws IOException {
        setAnthropic(VALUE);
        Path values = dir.resolve("values.enc");
        byte[] bytes = Files.readAllBytes(values);
        bytes[bytes.length - 20] ^= 1;
        Files.write(values, bytes);

        SecretException e = assertThrows(SecretException.class, store::resolveAll);

        assertTrue(e.getMessage().contains("integrity check"), e.getMessage());
        assertTrue(e.fix().orElseThrow().contains("rm " + values), e.fix().orElseThrow());
        assertThrows(SecretException.class, () -> setAnthropic("other"), "a damaged file is not overwritten silently");
    }

    @Test
    void aTamperedHeaderFailsTheIntegrityCheckToo() throws IOException {
        setAnthropic(VALUE);
        Path values = dir.resolve("values.enc");
        byte[] bytes = Files.readAllBytes(values);
        bytes[EncryptedFileValues.MAGIC.length + 3] ^= 1; // inside the nonce
        Files.write(values, bytes);

        SecretException e = assertThrows(SecretException.class, store::resolveAll);

        assertTrue(e.getMessage().contains("integrity check"), e.getMessage());
    }

    @Test
    void anotherKeyIsDetectedAsTheWrongKey() throws IOException {
        setAnthropic(VALUE);
        byte[] other = new byte[32];
        new SecureRandom().nextBytes(other);
        Files.write(keyFile, other);

        SecretException e = assertThrows(SecretException.class, store::resolveAll);

        assertTrue(e.getMessage().contains("not its key"), e.getMessage());
    }

    @Test
    void aMissingOrDamagedKeyIsReported() throws IOException {
        setAnthropic(VALUE);
        Files.write(keyFile, new byte[16]);
        SecretException damaged = assertThrows(SecretException.class, store::resolveAll);
        assertTrue(damaged.getMessage().contains("16 bytes"), damaged.getMessage());

        Files.delete(keyFile);
        SecretException missing = assertThrows(SecretException.class, store::resolveAll);
        assertTrue(missing.getMessage().contains("is missing"), missing.getMessage());
    }

    @Test
    void aFileThatIsNotOursOrFromANewerVersionIsRefused() throws IOException {
        setAnthropic(VALUE);
        Path values = dir.resolve("values.enc");
        byte[] bytes = Files.readAllBytes(values);
        bytes[EncryptedFileValues.MAGIC.length] = 2;
        Files.write(values, bytes);
        SecretException newer = assertThrows(SecretException.class, store::resolveAll);
        assertTrue(newer.getMessage().contains("format version 2"), newer.getMessage());

        Files.writeString(values, "hello");
        SecretException foreign = assertThrows(SecretException.class, store::resolveAll);
        assertTrue(foreign.getMessage().contains("not a Corral secrets file"), foreign.getMessage());
    }

    @Test
    void everyWriteUsesAFreshNonce() throws IOException {
        Path values = dir.resolve("values.enc");
        setAnthropic(VALUE);
        byte[] first = Arrays.copyOfRange(Files.readAllBytes(values), EncryptedFileValues.MAGIC.length + 1, EncryptedFileValues.HEADER_BYTES);
        setAnthropic(VALUE);
        byte[] second = Arrays.copyOfRange(Files.readAllBytes(values), EncryptedFileValues.MAGIC.length + 1, EncryptedFileValues.HEADER_BYTES);

        assertEquals(EncryptedFileValues.NONCE_BYTES, first.length);
        assertFalse(Arrays.equals(first, second));
        assertArrayEquals(EncryptedFileValues.MAGIC, Arrays.copyOf(Files.readAllBytes(values), EncryptedFileValues.MAGIC.length));
    }

    @Test
    void concurrentSetsFromSeveralThreadsKeepEveryUpdate() throws Exception {
        int threads = 8;
        int each = 5;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                SecretStore own = SecretStore.open(paths, Map.of());
                start.await();
                for (int i = 0; i < each; i++) {
                    String name = "s-" + thread + "-" + i;
                    own.set(CATALOG.custom(name, List.of(name + ".example.com"), List.of("V_" + thread + "_" + i)), "value-" + name);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) f.get();
        pool.shutdown();

        List<ResolvedSecret> all = store.resolveAll();
        assertEquals(threads * each, all.size());
        for (ResolvedSecret r : all) assertEquals("value-" + r.entry().name(), r.value());
    }

    @Test
    void removingForgetsTheSecretAndItsValue() {
        setAnthropic(VALUE);
        SecretEntry kept = store.set(CATALOG.service("openai", List.of()), "openai-value");

        store.remove("anthropic");

        assertEquals(List.of(kept), store.entries());
        assertEquals(List.of(new ResolvedSecret(kept, "openai-value")), store.resolveAll());
        SecretEntry again = setAnthropic(VALUE);
        assertEquals(2, store.resolveAll().size());
        assertTrue(again.placeholder().startsWith("sk-ant-api03-corral-"));
    }

    @Test
    void removingAnUnknownSecretFails() {
        SecretException e = assertThrows(SecretException.class, () -> store.remove("nope"));

        assertTrue(e.getMessage().contains("nope"));
        assertTrue(e.fix().orElseThrow().contains("corral secret ls"));
    }

    @Test
    void twoSecretsCannotShareAVariable() {
        store.set(CATALOG.service("github", List.of()), VALUE);

        SecretException e = assertThrows(SecretException.class,
                () -> store.set(CATALOG.custom("my-gh", List.of("ghe.example.com"), List.of("GITHUB_TOKEN")), "x"));

        assertTrue(e.getMessage().contains("GITHUB_TOKEN"), e.getMessage());
        assertTrue(e.fix().orElseThrow().contains("corral secret rm github"));
    }

    @Test
    void valuesThatCantBeSentAreRefusedWithoutQuotingThem() {
        for (String bad : List.of("", "line\nbreak-" + VALUE, "tab\t" + VALUE, "x".repeat(SecretStore.MAX_VALUE_BYTES + 1))) {
            SecretException e = assertThrows(SecretException.class, () -> setAnthropic(bad));
            assertFalse(e.getMessage().contains(VALUE) || e.getMessage().contains("xxxxxxxx"), e.getMessage());
            assertFalse(e.fix().orElse("").contains(VALUE), e.fix().orElse(""));
        }
        assertEquals(List.of(), store.entries(), "nothing is stored");
    }

    @Test
    void aResolvedSecretNeverPrintsItsValue() {
        ResolvedSecret resolved = new ResolvedSecret(setAnthropic(VALUE), VALUE);

        assertFalse(resolved.toString().contains(VALUE), resolved.toString());
        assertTrue(resolved.toString().contains("anthropic"));
    }

    @Test
    void anEntryMatchesOnlyItsOwnHosts() {
        SecretEntry github = store.set(CATALOG.service("github", List.of()), VALUE);

        assertTrue(github.allowsHost("api.github.com"));
        assertTrue(github.allowsHost("raw.githubusercontent.com"));
        assertFalse(github.allowsHost("githubusercontent.com"));
        assertFalse(github.allowsHost("github.com.evil.example"));
        assertFalse(github.allowsHost("api.anthropic.com"));
    }

    @Test
    void anIndexFromANewerVersionIsRefused() throws IOException {
        setAnthropic(VALUE);
        Path index = dir.resolve("index.json");
        Files.writeString(index, Files.readString(index).replace("\"version\": 1", "\"version\": 7"));

        SecretException e = assertThrows(SecretException.class, store::entries);

        assertTrue(e.getMessage().contains("unsupported version 7"), e.getMessage());
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void placeholdersDifferBetweenSecrets() {
        SecretEntry a = store.set(CATALOG.custom("one", List.of("one.example.com"), List.of("ONE")), "1");
        SecretEntry b = store.set(CATALOG.custom("two", List.of("two.example.com"), List.of("TWO")), "2");

        assertNotEquals(a.placeholder(), b.placeholder());
    }
}
