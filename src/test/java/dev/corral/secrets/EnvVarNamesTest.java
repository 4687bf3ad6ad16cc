package dev.corral.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EnvVarNamesTest {

    @Test
    void ordinaryCredentialVariablesAreAccepted() {
        for (String name : List.of("ANTHROPIC_API_KEY", "GITHUB_TOKEN", "GITLAB_TOKEN", "my_token", "_X", "A1")) {
            assertEquals(name, EnvVarNames.check(name));
        }
    }

    @Test
    void variablesTheSandboxOrProgramsDependOnAreRefused() {
        for (String name : List.of("PATH", "HOME", "path", "LD_PRELOAD", "ld_library_path", "DYLD_INSERT_LIBRARIES", "LC_ALL",
                "HTTPS_PROXY", "http_proxy", "NO_PROXY", "BASH_ENV", "BASH_FUNC_x%%", "NODE_OPTIONS", "JAVA_TOOL_OPTIONS",
                "PYTHONPATH", "GIT_SSH_COMMAND", "XDG_CONFIG_HOME", "DBUS_SESSION_BUS_ADDRESS", "SSL_CERT_FILE", "CORRAL_SECRET_STORE")) {
            SecretException e = assertThrows(SecretException.class, () -> EnvVarNames.check(name), name);
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
    }

    @Test
    void namesThatAreNotShellVariablesAreRefused() {
        for (String name : List.of("", "1ABC", "A-B", "A B", "A=B", "X".repeat(129))) {
            SecretException e = assertThrows(SecretException.class, () -> EnvVarNames.check(name), name);
            assertTrue(e.getMessage().startsWith("invalid environment variable name"), e.getMessage());
        }
    }
}
