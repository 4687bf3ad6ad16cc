package dev.corral.backend.docker.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where the engine is looked for: DOCKER_HOST's Unix socket, else Docker's, else Podman's. */
class EngineAddressTest {
    private static final Path DOCKER = Path.of("/var/run/docker.sock");
    private static final Path SYSTEM_PODMAN = Path.of("/run/podman/podman.sock");

    @TempDir
    Path runtime;

    @Test
    void dockerHostNamesTheSocket() {
        EngineAddress address = EngineAddress.fromEnvironment(Map.of("DOCKER_HOST", "unix:///run/user/1000/docker.sock"));

        assertEquals(Path.of("/run/user/1000/docker.sock"), address.socket());
        assertTrue(address.fromEnvironment());
        assertEquals("unix:///run/user/1000/docker.sock", address.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp://127.0.0.1:2375", "ssh://me@build-box", "tcp://docker:2376", "npipe:////./pipe/docker_engine",
            "/var/run/docker.sock", "unix://", "fd://"})
    void aDockerHostThatIsNotAUnixSocketIsRefusedNamingDockerHost(String value) {
        EngineException e = assertThrows(EngineException.class, () -> EngineAddress.fromEnvironment(Map.of("DOCKER_HOST", value)));

        assertTrue(e.getMessage().contains("DOCKER_HOST=" + value), e.getMessage());
        assertTrue(e.fix().orElseThrow().contains("DOCKER_HOST"), e.fix().orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t"})
    void anEmptyDockerHostCountsAsUnset(String value) {
        Map<String, String> env = new HashMap<>();
        env.put("DOCKER_HOST", value);

        EngineAddress address = EngineAddress.fromEnvironment(env);

        assertFalse(address.fromEnvironment());
        assertEquals(EngineAddress.fromEnvironment(Map.of()), address);
    }

    @Test
    void withoutDockerHostDockersSocketWinsOverPodmansAndPodmansIsUsedWhenAloneThere() throws IOException {
        Path podman = Files.createDirectories(runtime.resolve("podman")).resolve("podman.sock");
        Files.createFile(podman);
        Map<String, String> env = Map.of("XDG_RUNTIME_DIR", runtime.toString());

        EngineAddress address = EngineAddress.fromEnvironment(env);

        assertFalse(address.fromEnvironment());
        if (Files.exists(DOCKER)) {
            assertEquals(DOCKER, address.socket()); // this machine has Docker's socket: it comes first
        } else {
            assertEquals(podman, address.socket());
        }
    }

    @Test
    void withNoSocketAnywhereItIsDockersDefault() {
        Map<String, String> env = Map.of("XDG_RUNTIME_DIR", runtime.toString()); // an empty folder

        EngineAddress address = EngineAddress.fromEnvironment(env);

        if (Files.exists(DOCKER) || !Files.exists(SYSTEM_PODMAN)) {
            assertEquals(DOCKER, address.socket()); // Docker's if there, and the default when nothing is
        } else {
            assertEquals(SYSTEM_PODMAN, address.socket());
        }
        assertFalse(address.fromEnvironment());
    }
}
