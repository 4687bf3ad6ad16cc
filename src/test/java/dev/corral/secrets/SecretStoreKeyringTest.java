package dev.corral.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store with values in the desktop keyring, through a fake {@code secret-tool}. */
class SecretStoreKeyringTest {
    private static final String VALUE = "sk-REAL-openai-value-0123456789";
    private static final ServiceCatalog CATALOG = ServiceCatalog.builtIn();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    private final FakeKeyring keyring = new FakeKeyring();

    private SecretStore store(Map<String, String> env) {
        Path dir = tmp.resolve("data/secrets");
        ValueStores values = new ValueStores(dir.resolve("values.enc"), tmp.resolve("config/keys/secrets.key"), new SecureRandom(),
                env, name -> Optional.of(Path.of("/usr/bin/" + name)), keyring);
        return new SecretStore(dir, values, new SecureRandom(), CLOCK);
    }

    private SecretStore desktop() {
        return store(Map.of("DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1000/bus"));
    }

    @Test
    void valuesGoToTheKeyringAndOnlyMetadataToTheIndex() throws IOException {
        SecretEntry entry = desktop().set(CATALOG.service("openai", List.of()), VALUE);

        assertEquals(SecretEntry.SECRET_SERVICE, entry.store());
        assertEquals(Instant.parse("2025-03-01T12:00:00Z"), entry.created());
        assertEquals(Map.of("openai", VALUE), keyring.items);
        assertFalse(Files.exists(tmp.resolve("data/secrets/values.enc")));
        assertFalse(Files.exists(tmp.resolve("config/keys/secrets.key")), "no key is made when it isn't needed");
        assertTrue(Files.readString(tmp.resolve("data/secrets/index.json")).contains("\"store\": \"secret-service\""));
        assertEquals(List.of(new ResolvedSecret(entry, VALUE)), desktop().resolveAll());
    }

    @Test
    void removingClearsTheKeyringItem() {
        desktop().set(CATALOG.service("openai", List.of()), VALUE);

        desktop().remove("openai");

        assertEquals(Map.of(), keyring.items);
        assertEquals(List.of(), desktop().entries());
    }

    @Test
    void keyringSecretsCantBeResolvedOutsideTheDesktopSession() {
        desktop().set(CATALOG.service("openai", List.of()), VALUE);

        SecretException e = assertThrows(SecretException.class, () -> store(Map.of()).resolveAll());

        assertTrue(e.getMessage().contains("secret openai"), e.getMessage());
        assertTrue(e.getMessage().contains("DBUS_SESSION_BUS_ADDRESS"), e.getMessage());
    }

    @Test
    void secretsInBothStoresResolveTogether() {
        SecretEntry inFile = store(Map.of()).set(CATALOG.service("anthropic", List.of()), "file-value");
        SecretEntry inKeyring = desktop().set(CATALOG.service("openai", List.of()), VALUE);

        assertEquals(List.of(new ResolvedSecret(inFile, "file-value"), new ResolvedSecret(inKeyring, VALUE)), desktop().resolveAll());
    }

    @Test
    void movingASecretToAnotherStoreForgetsTheOldCopy() {
        SecretEntry first = desktop().set(CATALOG.service("openai", List.of()), VALUE);

        SecretEntry moved = store(Map.of("DBUS_SESSION_BUS_ADDRESS", "unix:path=/x", "CORRAL_SECRET_STORE", "file")).set(
                CATALOG.service("openai", List.of()), "new-value");

        assertEquals(SecretEntry.FILE, moved.store());
        assertEquals(first.placeholder(), moved.placeholder());
        assertEquals(Map.of(), keyring.items);
        assertEquals(List.of(new ResolvedSecret(moved, "new-value")), store(Map.of()).resolveAll());
    }

    @Test
    void aKeyringSecretCanBeUpdatedOutsideTheDesktopSession() {
        SecretEntry first = desktop().set(CATALOG.service("openai", List.of()), VALUE);

        SecretEntry updated = store(Map.of()).set(CATALOG.service("openai", List.of()), "new-value");

        assertEquals(SecretEntry.FILE, updated.store());
        assertEquals(first.placeholder(), updated.placeholder());
        assertEquals(List.of(new ResolvedSecret(updated, "new-value")), store(Map.of()).resolveAll());
    }

    @Test
    void aSecretWithoutAValueIsReportedByName() {
        desktop().set(CATALOG.service("openai", List.of()), VALUE);
        keyring.items.clear();

        SecretException e = assertThrows(SecretException.class, () -> desktop().resolveAll());

        assertTrue(e.getMessage().contains("secret openai has no value"), e.getMessage());
        assertEquals("set it again: corral secret set openai", e.fix().orElseThrow());
    }

    @Test
    void aKeyringFailureLeavesTheIndexUnchanged() {
        keyring.failure = "Cannot autolaunch D-Bus without X11 $DISPLAY";

        assertThrows(SecretException.class, () -> desktop().set(CATALOG.service("openai", List.of()), VALUE));

        assertEquals(List.of(), desktop().entries());
    }
}
