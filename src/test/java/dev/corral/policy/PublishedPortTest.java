package dev.corral.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code -p [HOST_PORT:]SANDBOX_PORT}. */
class PublishedPortTest {

    @ParameterizedTest
    @CsvSource({"8080, 8080, 8080", "8080:3000, 8080, 3000", "1:65535, 1, 65535", "65535:1, 65535, 1"})
    void aMappingNamesTheHostPortAndTheSandboxPort(String text, int hostPort, int sandboxPort) {
        assertEquals(new PublishedPort(hostPort, sandboxPort), PublishedPort.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "65536", "0:80", "80:0", "80:65536", "http", "1:2:3", ":80", "80:", "-1", " 80", "80 ",
            "127.0.0.1:80:80", "0x50", "99999999999"})
    void aMalformedMappingIsRejectedWithItsText(String text) {
        PolicyException e = assertThrows(PolicyException.class, () -> PublishedPort.parse(text));

        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    @Test
    void portsOutOfRangeCannotBeBuiltDirectly() {
        assertThrows(IllegalArgumentException.class, () -> new PublishedPort(0, 80));
        assertThrows(IllegalArgumentException.class, () -> new PublishedPort(80, 65536));
    }

    @Test
    void randomMappingsReadBackFromTheirText() {
        Random random = new Random(20261129);
        for (int i = 0; i < 500; i++) {
            PublishedPort port = new PublishedPort(1 + random.nextInt(65535), 1 + random.nextInt(65535));

            assertEquals(port, PublishedPort.parse(port.toString()));
            assertEquals(port.hostPort() + ":" + port.sandboxPort(), port.toString());
        }
    }
}
