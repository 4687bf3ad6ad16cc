package dev.corral.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.corral.policy.AgentSettings;
import dev.corral.policy.HostPattern;
import dev.corral.policy.NetworkPreset;
import dev.corral.policy.NetworkRule;
import dev.corral.policy.NetworkSettings;
import dev.corral.policy.PublishedPort;
import dev.corral.support.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

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
    void aBranchSandboxKeepsItsRepositoryBranchAndCheckout() {
        dev.corral.git.SandboxWorktree worktree = new dev.corral.git.SandboxWorktree(Path.of("/home/alice/shop"),
                Path.of("/home/alice/shop/.git"), Path.of("/home/alice/.local/share/corral-worktrees/claude-shop-fix"), "fix/login",
                "0123456789abcdef0123456789abcdef01234567", Optional.of("main"));
        SandboxRecord record = full();
        record = record.withSpec(record.spec().withWorktree(worktree));

        SandboxRecord back = throughJson(record);

        assertEquals(record, back);
        assertEquals(Optional.of(worktree), back.spec().worktree());
        assertEquals(Optional.empty(), throughJson(full()).spec().worktree(), "none stays none");
    }

    @Test
    void aDockerSandboxKeepsItsImageAndRuntime() {
        SandboxRecord record = full();
        record = record.withSpec(record.spec().withBackend("docker", new ContainerSettings(Optional.of("node:22"), Optional.of("runsc"))));

        SandboxRecord back = throughJson(record);

        assertEquals(record, back);
        assertEquals("docker", back.spec().backend());
        assertEquals(Optional.of("runsc"), back.spec().container().runtime());
        assertEquals(ContainerSettings.NONE, throughJson(full()).spec().container(), "none stays none");
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

    // --- network settings

    private static SandboxRecord withNetwork(NetworkSettings network) {
        SandboxRecord record = full();
        return record.withSpec(record.spec().withNetwork(network));
    }

    private static NetworkSettings someNetwork() {
        return new NetworkSettings(NetworkPreset.OPEN, List.of(
                new NetworkRule(NetworkRule.Action.ALLOW, HostPattern.parse("api.example.com"), NetworkSettings.FROM_RUN),
                new NetworkRule(NetworkRule.Action.DENY, HostPattern.parse("*.telemetry.example.com:443"), NetworkSettings.FROM_POLICY),
                new NetworkRule(NetworkRule.Action.ALLOW, HostPattern.parse("[2001:db8::1]:8443"), "config config.toml"),
                new NetworkRule(NetworkRule.Action.DENY, HostPattern.parse("203.0.113.7"), "policy")),
                List.of(new PublishedPort(8080, 3000), new PublishedPort(9000, 9000)));
    }

    @Test
    void networkSettingsSurviveTheRoundTrip() {
        SandboxRecord record = withNetwork(someNetwork());

        assertEquals(record, throughJson(record));
    }

    @ParameterizedTest
    @EnumSource(NetworkPreset.class)
    void everyPresetSurvivesTheRoundTrip(NetworkPreset preset) {
        SandboxRecord record = withNetwork(NetworkSettings.DEFAULT.withPreset(preset));

        assertEquals(record, throughJson(record));
    }

    @Test
    void theNetworkIsStoredInWords() {
        Map<String, Object> map = Json.parseObject(Json.write(SpecCodec.toMap(withNetwork(someNetwork()))));

        @SuppressWarnings("unchecked")
        Map<String, Object> network = (Map<String, Object>) map.get("network");
        assertEquals("open", network.get("preset"));
        assertEquals(List.of("8080:3000", "9000:9000"), network.get("publish"));
        assertEquals(Map.of("action", "deny", "host", "*.telemetry.example.com:443", "source", "policy"),
                ((List<?>) network.get("rules")).get(1));
    }

    @Test
    void thePresetsOwnRulesAreNotStored() {
        Map<String, Object> map = Json.parseObject(Json.write(SpecCodec.toMap(full())));

        assertEquals(Map.of("preset", "balanced", "rules", List.of(), "publish", List.of()), map.get("network"));
    }

    @Test
    void aRecordWrittenBeforeNetworkSettingsReadsAsTheDefault() {
        Map<String, Object> map = Json.parseObject(Json.write(SpecCodec.toMap(withNetwork(someNetwork()))));
        map.remove("network");

        assertEquals(NetworkSettings.DEFAULT, SpecCodec.fromMap(map).spec().network());
        assertEquals(full(), SpecCodec.fromMap(map));
    }

    @Test
    void missingPartsOfTheNetworkReadAsTheirDefaults() {
        assertEquals(NetworkSettings.DEFAULT, SpecCodec.networkFromMap(Map.of()));
        assertEquals(NetworkSettings.DEFAULT.withPreset(NetworkPreset.DENY_ALL), SpecCodec.networkFromMap(Map.of("preset", "deny-all")));
    }

    @Test
    void aStoredRuleThatNoLongerParsesIsAnError() {
        Map<String, Object> network = Map.of("preset", "open",
                "rules", List.of(Map.of("action", "allow", "host", "*", "source", "run")), "publish", List.of());

        assertThrows(RuntimeException.class, () -> SpecCodec.networkFromMap(network));
    }

    // --- agent settings

    private static SandboxRecord withAgent(AgentSettings settings) {
        SandboxRecord record = full();
        return record.withSpec(record.spec().withAgentSettings(settings));
    }

    @ParameterizedTest
    @MethodSource("agentSettings")
    void agentSettingsSurviveTheRoundTrip(AgentSettings settings) {
        SandboxRecord record = withAgent(settings);

        assertEquals(record, throughJson(record));
        assertEquals(settings, throughJson(record).spec().agentSettings());
    }

    static List<AgentSettings> agentSettings() {
        return List.of(AgentSettings.DEFAULT, new AgentSettings(Optional.of("2.1.0"), false, false),
                new AgentSettings(Optional.of("1.0.0-beta.1"), false, true), new AgentSettings(Optional.empty(), true, false),
                new AgentSettings(Optional.empty(), true, true), new AgentSettings(Optional.empty(), false, true));
    }

    @Test
    void agentSettingsAreStoredInWords() {
        Map<String, Object> map = Json.parseObject(Json.write(SpecCodec.toMap(withAgent(new AgentSettings(Optional.of("2.1.0"), false, true)))));

        assertEquals(Map.of("version", "2.1.0", "from", "cache", "credentials", "host"), map.get("agentSettings"));
        assertEquals(Map.of("from", "host", "credentials", "none"),
                Json.parseObject(Json.write(SpecCodec.toMap(withAgent(new AgentSettings(Optional.empty(), true, false))))).get("agentSettings"));
    }

    @Test
    void theDefaultAgentSettingsAreNotStored() {
        Map<String, Object> map = Json.parseObject(Json.write(SpecCodec.toMap(full())));

        assertFalse(map.containsKey("agentSettings"));
    }

    @Test
    void aRecordWrittenBeforeAgentSettingsReadsAsTheDefault() {
        Map<String, Object> map = Json.parseObject(Json.write(SpecCodec.toMap(withAgent(new AgentSettings(Optional.of("2.1.0"), true, true)))));
        map.remove("agentSettings");

        assertEquals(AgentSettings.DEFAULT, SpecCodec.fromMap(map).spec().agentSettings());
        assertEquals(AgentSettings.DEFAULT, SpecCodec.agentFromMap("not a map"));
        assertEquals(AgentSettings.DEFAULT, SpecCodec.agentFromMap(Map.of()));
    }

    @Test
    void agentSettingsAndNetworkSettingsAreKeptTogether() {
        SandboxRecord record = withNetwork(someNetwork());
        record = record.withSpec(record.spec().withAgentSettings(new AgentSettings(Optional.empty(), true, true)));

        SandboxRecord back = throughJson(record);

        assertEquals(someNetwork(), back.spec().network());
        assertEquals(new AgentSettings(Optional.empty(), true, true), back.spec().agentSettings());
        assertEquals(back.spec().agentSettings(), back.spec().withLimits(Limits.NONE).withNetwork(NetworkSettings.DEFAULT).agentSettings(),
                "every with-method keeps them");
    }
}
