package dev.corral.backend.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.backend.linux.EffectiveLimits;
import dev.corral.backend.linux.Protection;
import dev.corral.backend.linux.Protection.Kind;
import dev.corral.backend.linux.ProxyForwarder;
import dev.corral.host.Identity;
import dev.corral.sandbox.Limits;
import dev.corral.sandbox.NetworkAccess;
import dev.corral.sandbox.SandboxName;
import dev.corral.sandbox.SandboxSpec;
import dev.corral.sandbox.Volume;
import dev.corral.support.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The container configuration, rule by rule of the threat model, from hand-made inputs. */
class ContainerPlannerTest {
    private static final Identity ALICE = new Identity(1000, 1001, "alice", Path.of("/home/alice"));
    private static final Path WORKSPACE = Path.of("/home/alice/src/project");
    private static final Path PROXY_DIR = Path.of("/run/user/1000/corral/net/shell-project");
    private static final String SECCOMP = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"keyctl\"],\"action\":\"SCMP_ACT_ERRNO\"}]}";
    private static final long TMP = 256L << 20;
    private static final List<Volume> USER_VOLUMES = List.of(
            new Volume(Path.of("/data/cache"), Path.of("/cache"), false),
            new Volume(Path.of("/data/models"), Path.of("/models"), true));
    private static final List<Volume> AGENT_MOUNTS = List.of(
            new Volume(Path.of("/home/alice/.local/share/corral/agents/claude/2.1"), Path.of("/opt/corral/agent"), true),
            new Volume(Path.of("/home/alice/.local/share/corral/logins/claude"), Path.of("/home/alice/.claude"), false));
    private static final List<Protection> PROTECTIONS = List.of(
            new Protection(WORKSPACE.resolve(".git"), Kind.PINNED),
            new Protection(WORKSPACE.resolve(".git/hooks"), Kind.READ_ONLY),
            new Protection(WORKSPACE.resolve(".git/commondir"), Kind.PLACEHOLDER),
            new Protection(WORKSPACE.resolve("vendor/lib/.git"), Kind.EMPTY));
    /** What Docker masks when a container names no masks of its own (moby daemon/pkg/oci/defaults.go). */
    private static final List<String> DOCKER_DEFAULT_MASKS = List.of("/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore",
            "/proc/keys", "/proc/latency_stats", "/proc/sched_debug", "/proc/scsi", "/proc/timer_list", "/proc/timer_stats",
            "/sys/devices/virtual/powercap", "/sys/firmware");

    /** A {@link ContainerInput}, field by field, each with a plain default. */
    private static final class Input {
        SandboxSpec spec = new SandboxSpec(new SandboxName("shell-project"), "shell", WORKSPACE, Map.of(), USER_VOLUMES, Limits.NONE, "docker");
        Identity identity = ALICE;
        Map<String, String> labels = Map.of("dev.corral.sandbox", "shell-project", "dev.corral.role", "sandbox");
        Map<String, String> environment = Map.of("TERM", "xterm", "HOME", "/home/alice", "PATH", "/usr/bin:/bin",
                "HTTPS_PROXY", "http://127.0.0.1:3128");
        List<String> command = List.of("claude", "--dangerously-skip-permissions");
        boolean tty = true;
        Optional<NetworkAccess> network = Optional.of(new NetworkAccess(PROXY_DIR, Map.of()));
        List<Volume> agentMounts = AGENT_MOUNTS;
        List<Protection> protections = PROTECTIONS;
        Optional<String> runtime = Optional.empty();
        boolean agentInImage = false;
        boolean recursiveReadOnly = false;

        Input limits(Limits limits) {
            spec = spec.withLimits(limits);
            return this;
        }

        Map<String, Object> plan() {
            return ContainerPlanner.plan(new ContainerInput(spec, identity, "corral/base:1", "corral-home-shell-project", labels,
                    environment, command, tty, TMP, SECCOMP, network, agentMounts, protections, runtime, agentInImage, recursiveReadOnly));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> host(Map<String, Object> plan) {
        return (Map<String, Object>) plan.get("HostConfig");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> mounts(Map<String, Object> plan) {
        return (List<Map<String, Object>>) host(plan).get("Mounts");
    }

    /** The one mount at {@code target}; fails when there is none or more than one. */
    private static Map<String, Object> mountAt(Map<String, Object> plan, Object target) {
        List<Map<String, Object>> found = mounts(plan).stream().filter(m -> m.get("Target").equals(target.toString())).toList();
        assertEquals(1, found.size(), () -> "mounts at " + target + ": " + found);
        return found.getFirst();
    }

    private static Map<String, Object> bind(Object source, Object target, boolean readOnly) {
        Map<String, Object> mount = new LinkedHashMap<>();
        mount.put("Type", "bind");
        mount.put("Source", source.toString());
        mount.put("Target", target.toString());
        mount.put("ReadOnly", readOnly);
        mount.put("BindOptions", Map.of("Propagation", "rprivate"));
        return mount;
    }

    private static Map<String, Object> tmpfs(String target, long bytes, int mode, boolean readOnly) {
        Map<String, Object> mount = new LinkedHashMap<>();
        mount.put("Type", "tmpfs");
        mount.put("Target", target);
        mount.put("ReadOnly", readOnly);
        mount.put("TmpfsOptions", Map.of("SizeBytes", bytes, "Mode", mode));
        return mount;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object list) {
        return (List<String>) list;
    }

    private static long number(Object value) {
        assertNotNull(value);
        return ((Number) value).longValue();
    }

    // ---- isolation

    @Test
    void theContainerHasNoNetworkAtAll() {
        Map<String, Object> host = host(new Input().plan());

        assertEquals("none", host.get("NetworkMode"));
        for (String key : List.of("PortBindings", "PublishAllPorts", "ExtraHosts", "Links", "Dns")) {
            assertFalse(host.containsKey(key), key);
        }
        assertFalse(new Input().plan().containsKey("ExposedPorts"));
    }

    @Test
    void everyCapabilityIsDroppedAndNoneAdded() {
        Map<String, Object> host = host(new Input().plan());

        assertEquals(List.of("ALL"), host.get("CapDrop"));
        assertFalse(host.containsKey("CapAdd"));
    }

    @Test
    void noNewPrivilegesAndExactlyTheGivenSeccompProfile() {
        List<String> options = strings(host(new Input().plan()).get("SecurityOpt"));

        assertTrue(options.contains("no-new-privileges"), options::toString);
        assertTrue(options.contains("seccomp=" + SECCOMP), options::toString);
        assertEquals(1, options.stream().filter(o -> o.startsWith("seccomp")).count(), "one seccomp profile: " + options);
        assertFalse(options.stream().anyMatch(o -> o.contains("unconfined") || o.equals("label=disable")), options::toString);
    }

    @Test
    void theImageIsReadOnlyAndTheContainerNotPrivileged() {
        Map<String, Object> host = host(new Input().plan());

        assertEquals(true, host.get("ReadonlyRootfs"));
        assertEquals(false, host.get("Privileged"));
    }

    @Test
    void nothingOfTheHostIsSharedBeyondTheMounts() {
        Map<String, Object> host = host(new Input().plan());

        for (String key : List.of("Binds", "VolumesFrom", "Devices", "DeviceRequests", "DeviceCgroupRules", "PidMode", "UsernsMode",
                "UTSMode", "Sysctls", "GroupAdd", "CgroupParent", "OomKillDisable", "VolumeDriver")) {
            assertFalse(host.containsKey(key), key);
        }
        assertEquals("private", host.get("IpcMode"));
        assertEquals("private", host.get("CgroupnsMode"));
        if (host.containsKey("ReadonlyPaths")) {
            // naming any replaces the engine's, so they would have to be kept
            assertTrue(strings(host.get("ReadonlyPaths")).containsAll(List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger")));
        }
    }

    @Test
    void theOnlyHostPathsInsideAreTheWorkspaceVolumesAgentMountsProtectionsAndTheProxyFolder() {
        Set<String> expected = new HashSet<>();
        expected.add(WORKSPACE.toString());
        expected.add(PROXY_DIR.toString());
        USER_VOLUMES.forEach(v -> expected.add(v.hostPath().toString()));
        AGENT_MOUNTS.forEach(v -> expected.add(v.hostPath().toString()));
        PROTECTIONS.stream().filter(p -> p.kind() != Kind.EMPTY).forEach(p -> expected.add(p.path().toString()));

        List<Map<String, Object>> binds = mounts(new Input().plan()).stream().filter(m -> m.get("Type").equals("bind")).toList();

        assertEquals(expected, binds.stream().map(m -> (String) m.get("Source")).collect(java.util.stream.Collectors.toSet()));
        for (Map<String, Object> bind : binds) assertEquals(Map.of("Propagation", "rprivate"), bind.get("BindOptions"), bind::toString);
        List<Map<String, Object>> volumes = mounts(new Input().plan()).stream().filter(m -> m.get("Type").equals("volume")).toList();
        assertEquals(1, volumes.size(), "only the home volume: " + volumes);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1000, 4242})
    void theSandboxRunsAsTheCallersUidAndGid(long uid) {
        Input input = new Input();
        input.identity = new Identity(uid, uid + 7, "someone", Path.of("/home/someone"));

        assertEquals(uid + ":" + (uid + 7), input.plan().get("User"));
    }

    // ---- filesystem

    @Test
    void theWorkspaceIsBoundReadWriteAtItsOwnPathAndIsTheWorkingFolder() {
        Map<String, Object> plan = new Input().plan();

        assertEquals(bind(WORKSPACE, WORKSPACE, false), mountAt(plan, WORKSPACE));
        assertEquals(WORKSPACE.toString(), plan.get("WorkingDir"));
    }

    @Test
    void theHomeVolumeIsAtTheIdentitysHomePath() {
        Input input = new Input();
        input.identity = new Identity(1000, 1000, "bob", Path.of("/var/lib/bob"));

        Map<String, Object> home = mountAt(input.plan(), "/var/lib/bob");

        assertEquals("volume", home.get("Type"));
        assertEquals("corral-home-shell-project", home.get("Source"));
        assertFalse(Boolean.TRUE.equals(home.get("ReadOnly")));
        assertTrue(mounts(input.plan()).stream().noneMatch(m -> m.get("Target").equals("/home/alice")), "not the default identity's home");
    }

    @Test
    void tmpAndVarTmpArePrivateWritableTmpfsOfTheGivenSize() {
        Map<String, Object> plan = new Input().plan();

        assertEquals(tmpfs("/tmp", TMP, 01777, false), mountAt(plan, "/tmp"));
        assertEquals(tmpfs("/var/tmp", TMP, 01777, false), mountAt(plan, "/var/tmp"));
    }

    @Test
    void runAndVarAreEmptyReadOnlyTmpfsHidingTheImages() {
        Map<String, Object> plan = new Input().plan();

        for (String target : List.of("/run", "/var")) {
            Map<String, Object> mount = mountAt(plan, target);
            assertEquals("tmpfs", mount.get("Type"));
            assertEquals(true, mount.get("ReadOnly"), target);
        }
    }

    @Test
    void theProxyFolderIsBoundReadOnlyAtRunCorral() {
        assertEquals(bind(PROXY_DIR, "/run/corral", true), mountAt(new Input().plan(), NetworkAccess.SANDBOX_DIR));
    }

    @Test
    void withoutNetworkAccessThereIsNoProxyFolderAndNoForwarder() {
        Input input = new Input();
        input.network = Optional.empty();

        Map<String, Object> plan = input.plan();

        assertTrue(mounts(plan).stream().noneMatch(m -> m.get("Target").equals(NetworkAccess.SANDBOX_DIR)));
        List<String> cmd = strings(plan.get("Cmd"));
        assertEquals(input.command, cmd.subList(3, cmd.size()));
        assertEquals("none", host(plan).get("NetworkMode"));
    }

    @Test
    void userVolumesKeepTheirReadOnlyFlag() {
        Map<String, Object> plan = new Input().plan();

        assertEquals(bind("/data/cache", "/cache", false), mountAt(plan, "/cache"));
        assertEquals(bind("/data/models", "/models", true), mountAt(plan, "/models"));
    }

    @Test
    void agentMountsAreBoundAfterTheUserVolumesWithTheirFlags() {
        Map<String, Object> plan = new Input().plan();
        List<Object> targets = mounts(plan).stream().map(m -> m.get("Target")).toList();

        for (Volume agent : AGENT_MOUNTS) {
            assertEquals(bind(agent.hostPath(), agent.sandboxPath(), agent.readOnly()), mountAt(plan, agent.sandboxPath()));
            for (Volume user : USER_VOLUMES) {
                assertTrue(targets.indexOf(agent.sandboxPath().toString()) > targets.indexOf(user.sandboxPath().toString()), targets::toString);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void eachProtectionKindBecomesItsMount(Kind kind) {
        Path path = WORKSPACE.resolve(".git/hooks");
        Input input = new Input();
        input.protections = List.of(new Protection(path, kind));

        Map<String, Object> mount = mountAt(input.plan(), path);

        Map<String, Object> expected = switch (kind) {
            case PINNED -> bind(path, path, false);
            case READ_ONLY, PLACEHOLDER -> bind(path, path, true);
            case EMPTY -> tmpfs(path.toString(), 4096, 0555, true);
        };
        assertEquals(expected, mount);
    }

    // ---- limits

    static Stream<Arguments> memoryAndCpus() {
        Random random = new Random(0xC0FFEEL);
        List<Arguments> cases = new ArrayList<>(List.of(Arguments.of(1L << 20, 0.5, 500_000_000L), Arguments.of(8L << 30, 1.5, 1_500_000_000L),
                Arguments.of(512L << 20, 4.0, 4_000_000_000L), Arguments.of(64L << 20, 0.001, 1_000_000L)));
        for (int i = 0; i < 8; i++) {
            long memory = (1L << 20) + (long) (random.nextDouble() * (64L << 30));
            int hundredths = 1 + random.nextInt(6400);
            cases.add(Arguments.of(memory, hundredths / 100.0, hundredths * 10_000_000L));
        }
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("memoryAndCpus")
    void memoryHasNoSwapOnTopAndCpusBecomeNanoCpus(long memory, double cpus, long nanoCpus) {
        Map<String, Object> host = host(new Input().limits(Limits.NONE.withMemory(memory).withCpus(cpus)).plan());

        assertEquals(memory, number(host.get("Memory")));
        assertEquals(memory, number(host.get("MemorySwap")));
        assertEquals(nanoCpus, number(host.get("NanoCpus")));
    }

    @Test
    void unsetLimitsAreLeftToTheEngineButTheProcessCapIsAlwaysThere() {
        Map<String, Object> host = host(new Input().plan());

        assertFalse(host.containsKey("Memory"));
        assertFalse(host.containsKey("MemorySwap"));
        assertFalse(host.containsKey("NanoCpus"));
        assertEquals(EffectiveLimits.DEFAULT_PIDS, number(host.get("PidsLimit")));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 64, 100_000})
    void aGivenProcessCapReplacesTheDefault(long pids) {
        assertEquals(pids, number(host(new Input().limits(Limits.NONE.withPids(pids)).plan()).get("PidsLimit")));
    }

    @Test
    void theRuntimeIsNamedOnlyWhenGiven() {
        assertFalse(host(new Input().plan()).containsKey("Runtime"));

        Input input = new Input();
        input.runtime = Optional.of("runsc");
        assertEquals("runsc", host(input.plan()).get("Runtime"));
    }

    // ---- kernel surface

    @Test
    void maskedPathsHideSysTheKernelsFilesTheSecretsAndWhatTheEngineMasksItself() {
        List<String> masks = strings(host(new Input().plan()).get("MaskedPaths"));

        for (String path : List.of("/sys", "/proc/kcore", "/proc/kallsyms", "/proc/sysrq-trigger", "/etc/shadow", "/etc/gshadow", "/etc/sudoers")) {
            assertTrue(masks.contains(path), path + " in " + masks);
        }
        for (String path : DOCKER_DEFAULT_MASKS) assertTrue(masks.contains(path), "engine default " + path + " in " + masks);
        assertEquals(masks.size(), Set.copyOf(masks).size(), "no duplicates: " + masks);
    }

    // ---- environment, command, labels

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 0xDEADL})
    void theEnvironmentIsExactlyTheGivenOneSortedAsKeyEqualsValue(long seed) {
        Random random = new Random(seed);
        Map<String, String> environment = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) environment.put("V" + Integer.toString(random.nextInt(1 << 20), 36).toUpperCase(), hostileString(random));
        Input input = new Input();
        input.environment = environment;

        List<String> expected = new TreeMap<>(environment).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        assertEquals(expected, input.plan().get("Env"));
    }

    @Test
    void theEntryScriptRunsUnderShThenTheForwarder() {
        Input input = new Input();
        Map<String, Object> plan = input.plan();
        List<String> cmd = strings(plan.get("Cmd"));

        assertEquals(List.of("/bin/sh"), plan.get("Entrypoint"));
        assertEquals(List.of("-c", ContainerPlanner.ENTRY, "corral-entry"), cmd.subList(0, 3));
        assertEquals(ProxyForwarder.wrap("socat", input.network.get(), input.command), cmd.subList(3, cmd.size()));
        assertEquals(List.of("/bin/sh", "-c", ProxyForwarder.SCRIPT, "corral-forwarder", "socat", "3128", "/run/corral/proxy.sock", "0C38"),
                cmd.subList(3, 11));
    }

    static Stream<Long> seeds() {
        return Stream.of(7L, 11L, 1234L, 0xBADC0DEL, 99_999L);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void theUsersArgvArrivesAsSeparateUntouchedElementsAtTheEnd(long seed) {
        Random random = new Random(seed);
        List<String> argv = new ArrayList<>(List.of("$(touch /tmp/pwned)", "a b", "", "'\"", "line1\nline2", "`id`", "${IFS}", "-c", "--", "\\"));
        for (int i = 0; i < 30; i++) argv.add(hostileString(random));
        java.util.Collections.shuffle(argv, random);
        Input input = new Input();
        input.command = List.copyOf(argv);

        Map<String, Object> plan = input.plan();
        List<String> cmd = strings(plan.get("Cmd"));

        assertEquals(argv, cmd.subList(cmd.size() - argv.size(), cmd.size()));
        assertEquals(List.of("-c", ContainerPlanner.ENTRY), cmd.subList(0, 2), "the scripts are fixed: nothing of argv is spliced in");
        assertEquals(ProxyForwarder.SCRIPT, cmd.get(5));
        // and the JSON the engine receives carries the same elements
        Map<String, Object> sent = Json.parseObject(Json.write(plan));
        assertEquals(cmd, sent.get("Cmd"));
    }

    @Test
    void labelsAreGivenToTheContainerAsTheyAre() {
        Input input = new Input();
        input.labels = Map.of("dev.corral.sandbox", "shell-project", "dev.corral.data", "/home/alice/.local/share/corral", "x", "");

        assertEquals(input.labels, input.plan().get("Labels"));
    }

    @Test
    void theContainerIsNamedAfterTheSandboxAndRunsTheGivenImage() {
        Input input = new Input();
        input.tty = false;
        Map<String, Object> plan = input.plan();

        assertEquals("shell-project", plan.get("Hostname"));
        assertEquals("corral/base:1", plan.get("Image"));
        assertEquals(false, plan.get("Tty"));
    }

    /** A string of 0-12 characters from the shell's special ones, whitespace, controls and non-ASCII. */
    private static String hostileString(Random random) {
        String pool = "ab Z9 \t\n\r'\"$()`\\;|&*?~#!{}[]<>=%é☃\u2028\u0001-_/.";
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(13);
        for (int i = 0; i < length; i++) s.append(pool.charAt(random.nextInt(pool.length())));
        if (random.nextInt(5) == 0) s.append(new String(Character.toChars(0x1F600 + random.nextInt(50))));
        return s.toString();
    }

    @Test
    void theEngineKeepsNoLogOfTheSandboxsOutput() {
        assertEquals(Map.of("Type", "none", "Config", Map.of()), host(new Input().plan()).get("LogConfig"));
    }

    @Test
    void readOnlyBindsAreReadOnlyAllTheWayDownWhereTheEngineCan() {
        Input input = new Input();
        input.recursiveReadOnly = true;
        Map<String, Object> plan = input.plan();

        for (Map<String, Object> mount : mounts(plan)) {
            if (!"bind".equals(mount.get("Type"))) continue;
            Map<?, ?> options = (Map<?, ?>) mount.get("BindOptions");
            assertEquals(Boolean.TRUE.equals(mount.get("ReadOnly")), Boolean.TRUE.equals(options.get("ReadOnlyForceRecursive")), mount.toString());
        }
        assertTrue(mounts(new Input().plan()).stream().filter(m -> "bind".equals(m.get("Type")))
                .noneMatch(m -> ((Map<?, ?>) m.get("BindOptions")).containsKey("ReadOnlyForceRecursive")), "an older engine doesn't know the option");
    }

    @Test
    void anAgentsOwnImageKeepsItsRunWhereTheInstallIs() {
        Input input = new Input();
        input.agentInImage = true;

        assertTrue(mounts(input.plan()).stream().noneMatch(m -> "/run".equals(m.get("Target"))));
        assertTrue(mounts(new Input().plan()).stream().anyMatch(m -> "/run".equals(m.get("Target")) && "tmpfs".equals(m.get("Type"))
                && Boolean.TRUE.equals(m.get("ReadOnly"))), "otherwise /run is an empty read-only folder");
    }

}
