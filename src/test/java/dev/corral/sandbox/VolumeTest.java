package dev.corral.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VolumeTest {

    @ParameterizedTest
    @CsvSource({
            "/data, /data, /data, false",
            "/data:/mnt, /data, /mnt, false",
            "/data:/mnt:ro, /data, /mnt, true",
            "/data:/mnt:rw, /data, /mnt, false",
            "/data:ro, /data, /data, true",
            "/data:rw, /data, /data, false",
            "/ro, /ro, /ro, false",
            "/data:/ro, /data, /ro, false",
            "/a/../data/./x:/mnt//y/, /data/x, /mnt/y, false",
    })
    void hostSandboxAndModeAreParsed(String spec, String host, String inside, boolean readOnly) {
        assertEquals(new Volume(Path.of(host), Path.of(inside), readOnly), Volume.parse(spec));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "data", "data:/mnt", "/data:mnt", "/data:./mnt", ":/mnt", "/data:", "/data::/mnt",
            "/a:/b:/c", "/data:/mnt:xx", "/data:/mnt:ro:ro", "ro", ":ro", "/data:/mnt:"})
    void malformedSpecsAreRejected(String spec) {
        assertThrows(IllegalArgumentException.class, () -> Volume.parse(spec));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/data", "/data:/mnt", "/data:/mnt:ro", "/data:ro"})
    void theSpecOfAParsedVolumeParsesBackToIt(String spec) {
        Volume volume = Volume.parse(spec);

        assertEquals(volume, Volume.parse(volume.spec()));
        assertEquals(spec, volume.spec());
    }

    @ParameterizedTest
    @CsvSource({"relative, /mnt", "/data, relative"})
    void theConstructorWantsAbsolutePaths(String host, String inside) {
        assertThrows(IllegalArgumentException.class, () -> new Volume(Path.of(host), Path.of(inside), false));
    }
}
