package dev.corral.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.corral.support.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpecCodecTest {
    private static final Instant CREATED = Instant.parse("2025-03-01T10:15:30.123456Z");

    private static SandboxRecord full() {
        SandboxSpec spec = new SandboxSpec(new SandboxName("shell-project"), "shell", Path.of("/home/alice/project"),
                Map.of("A", "1", "QUOTED", "say \"hi\"\n\\", "EMPTY", ""),
                List.of(new Volume(Path.of("/data"), Path.of("/mnt/data"), true), new Volume(Path.of("/cache"), Path.of("/cache"), false)),
                Limits.NONE.withMemory(3L << 30).withCpus(1.5).withPids(512).withTmp(256L << 20), "native");
        return new SandboxRecord(spec, CREATED, Optional.of(CREATED.plusSeconds(60)));
    }

    private static SandboxRecord throughJson(SandboxRecord record) {
        return SpecCodec.fromMap(Json.parseObject(Json.writePretty(SpecCodec.toMap(record))));
    }

    @Test
    void aFullRecordSurvivesTheRoundTrip() {
        assertEquals(full(), throughJson(full()));
    }

    @Test
    void aMinimalRecordSurvivesTheRoundTrip() {
        SandboxRecord minimal = new SandboxRecord(new SandboxSpec(new SandboxName("a"), "shell", Path.of("/w"), Map.of(),
                List.of(), Limits.NONE, "native"), CREATED, Optional.empty());

        assertEquals(minimal, throughJson(minimal));
    }

    @Test
    void wholeCpusStayNumbers() {
        SandboxRecord record = full();
        SandboxRecord twoCpus = record.withSpec(record.spec().withLimits(Limits.NONE.withCpus(2)));

        assertEquals(twoCpus, throughJson(twoCpus));
    }

    @Test
    void unsetLimitsAreLeftOut() {
        Map<String, Object> limits = SpecCodec.limitsToMap(Limits.NONE.withPids(64));

        assertEquals(Map.of("pids", 64L), limits);
    }

    @Test
    void theRecordCarriesItsFormatVersion() {
        Map<String, Object> map = Json.parseObject(Json.write(SpecCodec.toMap(full())));

        assertEquals(1L, map.get("version"));
        assertFalse(map.containsKey("command"));
    }

    @Test
    void anotherFormatVersionIsRejected() {
        Map<String, Object> map = Json.parseObject(Json.write(SpecCodec.toMap(full())));
        map.put("version", 2L);

        assertThrows(IllegalArgumentException.class, () -> SpecCodec.fromMap(map));
        map.remove("version");
        assertThrows(IllegalArgumentException.class, () -> SpecCodec.fromMap(map));
    }

    @Test
    void anInvalidStoredNameIsRejected() {
        Map<String, Object> map = Json.parseObject(Json.write(SpecCodec.toMap(full())));
        map.put("name", "../escape");

        assertThrows(SandboxException.class, () -> SpecCodec.fromMap(map));
    }
}
