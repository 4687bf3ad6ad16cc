package dev.corral.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValueStoresTest {
    private static final String BUS = "unix:path=/run/user/1000/bus";
    private static final Path TOOL = Path.of("/usr/bin/secret-tool");

    private static ValueStores stores(Map<String, String> env, boolean secretToolInstalled) {
        return new ValueStores(Path.of("/nonexistent/values.enc"), Path.of("/nonexistent/secrets.key"), new SecureRandom(), env,
                name -> secretToolInstalled && name.equals("secret-tool") ? Optional.of(TOOL) : Optional.empty(), new FakeKeyring());
    }

    @Test
    void withoutASessionBusValuesGoToTheEncryptedFile() {
        assertEquals(SecretEntry.FILE, stores(Map.of(), true).forWriting().kind());
        assertEquals(SecretEntry.FILE, stores(Map.of("DBUS_SESSION_BUS_ADDRESS", " "), true).forWriting().kind());
    }

    @Test
    void withASessionBusAndSecretToolValuesGoToTheKeyring() {
        SecretValues chosen = stores(Map.of("DBUS_SESSION_BUS_ADDRESS", BUS), true).forWriting();

        assertInstanceOf(SecretToolValues.class, chosen);
        assertEquals(SecretEntry.SECRET_SERVICE, chosen.kind());
    }

    @Test
    void withoutSecretToolValuesGoToTheEncryptedFile() {
        assertEquals(SecretEntry.FILE, stores(Map.of("DBUS_SESSION_BUS_ADDRESS", BUS), false).forWriting().kind());
    }

    @Test
    void theOverrideForcesTheFile() {
        Map<String, String> env = Map.of("DBUS_SESSION_BUS_ADDRESS", BUS, "CORRAL_SECRET_STORE", "file");

        assertEquals(SecretEntry.FILE, stores(env, true).forWriting().kind());
    }

    @Test
    void forcingAnUnreachableKeyringIsAnError() {
        SecretException noBus = assertThrows(SecretException.class,
                () -> stores(Map.of("CORRAL_SECRET_STORE", "secret-service"), true).forWriting());
        assertTrue(noBus.getMessage().contains("DBUS_SESSION_BUS_ADDRESS is not set"), noBus.getMessage());

        SecretException noTool = assertThrows(SecretException.class,
                () -> stores(Map.of("CORRAL_SECRET_STORE", "secret-service", "DBUS_SESSION_BUS_ADDRESS", BUS), false).forWriting());
        assertTrue(noTool.fix().orElseThrow().contains("libsecret-tools"), noTool.fix().orElseThrow());

        assertThrows(SecretException.class, () -> stores(Map.of("CORRAL_SECRET_STORE", "vault"), true).forWriting());
    }

    @Test
    void storedValuesAreReadFromTheStoreTheyWereWrittenTo() {
        ValueStores noDesktop = stores(Map.of(), true);

        assertEquals(SecretEntry.FILE, noDesktop.forKind(SecretEntry.FILE, "secret a").kind());
        SecretException e = assertThrows(SecretException.class, () -> noDesktop.forKind(SecretEntry.SECRET_SERVICE, "secret github"));
        assertTrue(e.getMessage().startsWith("secret github needs the desktop keyring"), e.getMessage());
        assertEquals(SecretEntry.SECRET_SERVICE,
                stores(Map.of("DBUS_SESSION_BUS_ADDRESS", BUS, "CORRAL_SECRET_STORE", "file"), true)
                        .forKind(SecretEntry.SECRET_SERVICE, "secret github").kind());
    }
}
