package dev.corral.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.CorralException;
import dev.corral.host.Identity;
import dev.corral.sandbox.Limits;
import dev.corral.sandbox.SandboxName;
import dev.corral.sandbox.ContainerSettings;
import dev.corral.sandbox.SandboxRecord;
import dev.corral.sandbox.SandboxSpec;
import dev.corral.sandbox.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Merging what the user typed with what is stored, without touching anything but temporary folders. */
class SpecResolverTest {
    private static final int HOST_CPUS = 4;

    @TempDir
    Path tmp;

    private Path home;
    private Path workspace;
    private Path data;
    private final Map<SandboxName, SandboxRecord> store = new HashMap<>();
    private final Map<String, String> hostEnv = new HashMap<>(Map.of("TOKEN", "from-host", "TERM", "xterm"));

    @BeforeEach
    void folders() throws IOException {
        Path real = tmp.toRealPath();
        home = Files.createDirectories(real.resolve("home/alice"));
        workspace = Files.createDirectories(home.resolve("project"));
        data = home.resolve(".local/share/corral");
    }

    private SpecResolver.Context context(Path cwd) {
        return new SpecResolver.Context(cwd, new Identity(1000, 1000, "alice", home), hostEnv, java.util.List.of(data), HOST_CPUS);
    }

    private SpecResolver.Resolution resolve(Options options) {
        return resolve(options, workspace);
    }

    private SpecResolver.Resolution resolve(Options options, Path cwd) {
        return SpecResolver.resolve(options.build(), context(cwd), name -> Optional.ofNullable(store.get(name)));
    }

    private void stored(SandboxSpec spec) {
        store.put(spec.name(), new SandboxRecord(spec, Instant.parse("2025-01-01T00:00:00Z"), Optional.empty()));
    }

    /** A builder for what the user typed. */
    private static final class Options {
        Optional<String> agent = Optional.empty();
        Optional<String> workspace = Optional.empty();
        Optional<String> name = Optional.empty();
        final List<String> env = new ArrayList<>();
        final List<String> volumes = new ArrayList<>();
        Optional<String> memory = Optional.empty();
        Optional<String> cpus = Optional.empty();
        Optional<String> pids = Optional.empty();
        Optional<String> backend = Optional.empty();

        Options agent(String value) {
            agent = Optional.of(value);
            return this;
        }

        Options workspace(String value) {
            workspace = Optional.of(value);
            return this;
        }

        Options name(String value) {
            name = Optional.of(value);
            return this;
        }

        Options env(String value) {
            env.add(value);
            return this;
        }

        Options volume(String value) {
            volumes.add(value);
            return this;
        }

        Options memory(String value) {
            memory = Optional.of(value);
            return this;
        }

        Options cpus(String value) {
            cpus = Optional.of(value);
            return this;
        }

        Options pids(String value) {
            pids = Optional.of(value);
            return this;
        }

        Options backend(String value) {
            backend = Optional.of(value);
            return this;
        }

        RunOptions build() {
            return new RunOptions(agent, workspace, name, env, volumes, memory, cpus, pids, backend);
        }
    }

    private static Options options() {
        return new Options();
    }

    // --- new sandboxes

    @Test
    void aNewSandboxGetsTheDefaultsAndIsNamedAfterTheWorkspaceFolder() {
        SpecResolver.Resolution r = resolve(options());

        assertTrue(r.isNew());
        assertEquals(List.of(), r.changes());
        SandboxSpec spec = r.spec();
        assertEquals(new SandboxName("shell-project"), spec.name());
        assertEquals("shell", spec.agent());
        assertEquals(workspace, spec.workspace());
        assertEquals(Map.of(), spec.env());
        assertEquals(List.of(), spec.volumes());
        assertEquals(Limits.NONE, spec.limits());
        assertEquals("native", spec.backend());
    }

    @Test
    void theWorkspaceOptionIsResolvedAgainstTheCurrentFolder() throws IOException {
        Path other = Files.createDirectories(home.resolve("other"));

        SandboxSpec spec = resolve(options().workspace("../other")).spec();

        assertEquals(other, spec.workspace());
        assertEquals(new SandboxName("shell-other"), spec.name());
    }

    @Test
    void theWorkspaceIsTheRealPathBehindSymbolicLinks() throws IOException {
        Path link = Files.createSymbolicLink(home.resolve("link"), workspace);

        assertEquals(workspace, resolve(options().workspace(link.toString())).spec().workspace());
    }

    @Test
    void anOddFolderNameIsFoldedIntoAValidSandboxName() throws IOException {
        Path odd = Files.createDirectories(home.resolve("My Project ünï"));

        assertEquals(new SandboxName("shell-my-project-n"), resolve(options().workspace(odd.toString())).spec().name());
    }

    @Test
    void theNameOptionWinsOverTheDerivedName() {
        assertEquals(new SandboxName("mine"), resolve(options().name("mine")).spec().name());
    }

    @Test
    void aDerivedNameTakenByAnotherWorkspaceGetsAHashSuffix() throws IOException {
        Path elsewhere = Files.createDirectories(tmp.toRealPath().resolve("elsewhere/project"));
        stored(new SandboxSpec(new SandboxName("shell-project"), "shell", elsewhere, Map.of(), List.of(), Limits.NONE, "native"));

        SpecResolver.Resolution r = resolve(options());

        assertTrue(r.isNew());
        assertTrue(r.spec().name().value().matches("shell-project-[0-9a-f]{4}"), r.spec().name().value());
        assertEquals(workspace, r.spec().workspace());
    }

    @Test
    void theHashSuffixIsStableSoTheSecondRunFindsTheSameSandbox() throws IOException {
        Path elsewhere = Files.createDirectories(tmp.toRealPath().resolve("elsewhere/project"));
        stored(new SandboxSpec(new SandboxName("shell-project"), "shell", elsewhere, Map.of(), List.of(), Limits.NONE, "native"));
        SandboxSpec first = resolve(options()).spec();
        stored(first);

        SpecResolver.Resolution second = resolve(options());

        assertFalse(second.isNew());
        assertEquals(first.name(), second.spec().name());
        assertEquals(List.of(), second.changes());
    }

    @Test
    void aDerivedNameOfTheSameWorkspaceReusesTheSandbox() {
        stored(new SandboxSpec(new SandboxName("shell-project"), "shell", workspace, Map.of(), List.of(), Limits.NONE, "native"));

        SpecResolver.Resolution r = resolve(options());

        assertFalse(r.isNew());
        assertEquals(new SandboxName("shell-project"), r.spec().name());
    }

    // --- updates of an existing sandbox

    @Test
    void newLimitsForAnExistingSandboxAreListedAsChanges() {
        stored(new SandboxSpec(new SandboxName("shell-project"), "shell", workspace, Map.of(), List.of(),
                Limits.NONE.withMemory(512L << 20).withPids(100), "native"));

        SpecResolver.Resolution r = resolve(options().memory("1g").cpus("1.5"));

        assertFalse(r.isNew());
        assertEquals(OptionalLong.of(1L << 30), r.spec().limits().memoryBytes());
        assertEquals(OptionalDouble.of(1.5), r.spec().limits().cpus());
        assertEquals(OptionalLong.of(100), r.spec().limits().pids(), "a limit not given is kept");
        assertEquals(1, r.changes().size(), r.changes().toString());
        String change = r.changes().getFirst();
        assertTrue(change.contains("memory 512 MiB -> 1 GiB"), change);
        assertTrue(change.contains("cpus default -> 1.5"), change);
        assertFalse(change.contains("pids"), change);
    }

    @Test
    void newEnvironmentAndVolumesForAnExistingSandboxAreListedAsChanges() throws IOException {
        Path data1 = Files.createDirectories(home.resolve("data1"));
        Path data2 = Files.createDirectories(home.resolve("data2"));
        stored(new SandboxSpec(new SandboxName("shell-project"), "shell", workspace, Map.of("A", "1"),
                List.of(new Volume(data1, data1, false)), Limits.NONE, "native"));

        SpecResolver.Resolution r = resolve(options().env("B=2").volume(data2 + ":/data:ro"));

        assertEquals(Map.of("B", "2"), r.spec().env());
        assertEquals(List.of(new Volume(data2, Path.of("/data"), true)), r.spec().volumes());
        assertEquals(2, r.changes().size(), r.changes().toString());
        assertTrue(r.changes().get(0).startsWith("env A -> B"), r.changes().toString());
        assertTrue(r.changes().get(1).contains(data2 + ":/data:ro"), r.changes().toString());
    }

    @Test
    void aNewWorkspaceForANamedSandboxIsListedAsAChange() throws IOException {
        Path other = Files.createDirectories(home.resolve("other"));
        stored(new SandboxSpec(new SandboxName("box"), "shell", workspace, Map.of(), List.of(), Limits.NONE, "native"));

        SpecResolver.Resolution r = resolve(options().name("box").workspace(other.toString()));

        assertEquals(other, r.spec().workspace());
        assertEquals(List.of("workspace " + workspace + " -> " + other), r.changes());
    }

    @Test
    void theSameOptionsAgainChangeNothing() throws IOException {
        Path data1 = Files.createDirectories(home.resolve("data1"));
        SandboxSpec spec = resolve(options().env("A=1").volume(data1 + ":/data").memory("1g").cpus("2").pids("64")).spec();
        stored(spec);

        SpecResolver.Resolution again = resolve(options().env("A=1").volume(data1 + ":/data").memory("1024m").cpus("2.0").pids("64"));

        assertFalse(again.isNew());
        assertEquals(List.of(), again.changes());
        assertEquals(spec, again.spec());
    }

    @Test
    void noOptionsKeepEverythingStored() throws IOException {
        Path data1 = Files.createDirectories(home.resolve("data1"));
        SandboxSpec spec = new SandboxSpec(new SandboxName("shell-project"), "shell", workspace, Map.of("A", "1"),
                List.of(new Volume(data1, data1, true)), Limits.NONE.withMemory(1L << 30), "native");
        stored(spec);

        SpecResolver.Resolution r = resolve(options());

        assertEquals(spec, r.spec());
        assertEquals(List.of(), r.changes());
    }

    @Test
    void anotherAgentForAnExistingSandboxIsRefused() {
        stored(new SandboxSpec(new SandboxName("box"), "claude", workspace, Map.of(), List.of(), Limits.NONE, "native"));

        PolicyException e = assertThrows(PolicyException.class, () -> resolve(options().name("box").agent("shell")));

        assertTrue(e.getMessage().contains("claude"), e.getMessage());
    }

    // --- workspaces that are refused

    @ParameterizedTest
    @ValueSource(strings = {"/", "/usr", "/etc", "/proc", "/tmp", "/home", "/root", "/var"})
    void systemFoldersAreNeverAWorkspace(String folder) {
        PolicyException e = assertThrows(PolicyException.class, () -> resolve(options().workspace(folder)));

        assertTrue(e.getMessage().startsWith("refusing to use"), e.getMessage());
        assertTrue(e.fix().isPresent());
    }

    @Test
    void theHomeItselfIsNeverAWorkspace() {
        assertThrows(PolicyException.class, () -> resolve(options().workspace(home.toString())));
        assertThrows(PolicyException.class, () -> resolve(options(), home));
    }

    @Test
    void anAncestorOfTheHomeIsNeverAWorkspace() {
        assertThrows(PolicyException.class, () -> resolve(options().workspace(home.getParent().toString())));
        assertThrows(PolicyException.class, () -> resolve(options().workspace(tmp.toString())));
    }

    @Test
    void aSymbolicLinkToTheHomeIsNoWayAround() throws IOException {
        Path link = Files.createSymbolicLink(workspace.resolve("up"), home);

        assertThrows(PolicyException.class, () -> resolve(options().workspace(link.toString())));
    }

    @Test
    void corralsOwnStateIsNeverAWorkspace() throws IOException {
        Path sandboxHome = Files.createDirectories(data.resolve("sandboxes/x/home"));

        PolicyException e = assertThrows(PolicyException.class, () -> resolve(options().workspace(sandboxHome.toString())));

        assertTrue(e.getMessage().contains("state"), e.getMessage());
    }

    @Test
    void aMissingWorkspaceIsRefused() {
        PolicyException e = assertThrows(PolicyException.class, () -> resolve(options().workspace("/nope/not/here")));

        assertTrue(e.getMessage().contains("/nope/not/here"), e.getMessage());
    }

    @Test
    void aFileIsNotAWorkspace() throws IOException {
        Path file = Files.writeString(home.resolve("file.txt"), "x");

        assertThrows(PolicyException.class, () -> resolve(options().workspace(file.toString())));
    }

    // --- environment

    @ParameterizedTest
    @ValueSource(strings = {"1BAD=x", "A-B=x", "=x", "", "A B=x", "Ä=x", "A.B=x"})
    void badEnvironmentNamesAreRefused(String option) {
        PolicyException e = assertThrows(PolicyException.class, () -> resolve(options().env(option)));

        assertTrue(e.getMessage().contains("-e"), e.getMessage());
    }

    @Test
    void environmentAssignmentsKeepEverythingAfterTheFirstEquals() {
        Map<String, String> env = resolve(options().env("A=b=c").env("EMPTY=").env("_x1=y")).spec().env();

        assertEquals(Map.of("A", "b=c", "EMPTY", "", "_x1", "y"), env);
    }

    @Test
    void aBareNameTakesTheCallersValue() {
        assertEquals(Map.of("TOKEN", "from-host"), resolve(options().env("TOKEN")).spec().env());
    }

    @Test
    void aBareNameThatIsNotSetIsRefused() {
        PolicyException e = assertThrows(PolicyException.class, () -> resolve(options().env("NOT_SET_ANYWHERE")));

        assertTrue(e.fix().orElseThrow().contains("NOT_SET_ANYWHERE=VALUE"), e.fix().orElseThrow());
    }

    // --- volumes

    @Test
    void aVolumeWithOnlyAHostPathAppearsAtTheSamePathReadWrite() throws IOException {
        Path data1 = Files.createDirectories(home.resolve("data1"));

        assertEquals(List.of(new Volume(data1, data1, false)), resolve(options().volume(data1.toString())).spec().volumes());
    }

    @Test
    void volumesKeepTheirOrderAndReadOnlyFlag() throws IOException {
        Path a = Files.createDirectories(home.resolve("a"));
        Path b = Files.createDirectories(home.resolve("b"));

        List<Volume> volumes = resolve(options().volume(b + ":/mnt/b:ro").volume(a + ":/mnt/a:rw").volume(a + ":ro")).spec().volumes();

        assertEquals(List.of(new Volume(b, Path.of("/mnt/b"), true), new Volume(a, Path.of("/mnt/a"), false),
                new Volume(a, a, true)), volumes);
    }

    @Test
    void aRelativeHostPathIsResolvedAgainstTheCurrentFolder() throws IOException {
        Path data1 = Files.createDirectories(home.resolve("data1"));

        assertEquals(List.of(new Volume(data1, Path.of("/data"), true)),
                resolve(options().volume("../data1:/data:ro")).spec().volumes());
        assertEquals(List.of(new Volume(data1, data1, false)), resolve(options().volume("../data1")).spec().volumes());
    }

    @Test
    void aVolumeSourceIsTheRealPathBehindSymbolicLinks() throws IOException {
        Path data1 = Files.createDirectories(home.resolve("data1"));
        Path link = Files.createSymbolicLink(home.resolve("link"), data1);

        assertEquals(List.of(new Volume(data1, Path.of("/data"), false)),
                resolve(options().volume(link + ":/data")).spec().volumes());
    }

    @Test
    void aVolumeWhoseHostPathDoesNotExistIsRefused() {
        PolicyException e = assertThrows(PolicyException.class, () -> resolve(options().volume("/nope/data:/data")));

        assertTrue(e.getMessage().contains("/nope/data"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"%s:data", "%s:./data", "%s:/a:/b", "%s::/b", "%s:/data:xx"})
    void malformedVolumesAreRefused(String pattern) throws IOException {
        Path data1 = Files.createDirectories(home.resolve("data1"));

        PolicyException e = assertThrows(PolicyException.class, () -> resolve(options().volume(pattern.formatted(data1))));

        assertTrue(e.getMessage().startsWith("invalid volume"), e.getMessage());
    }

    @Test
    void aVolumeWithAnEmptyHostPathIsRefusedRatherThanMountingTheCurrentFolder() {
        PolicyException e = assertThrows(PolicyException.class, () -> resolve(options().volume(":/data")));

        assertTrue(e.getMessage().startsWith("invalid volume"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/proc", "/proc/sys", "/dev", "/dev/shm", "/x/../proc"})
    void volumesOverTheRootProcAndDevAreRefused(String target) throws IOException {
        Path data1 = Files.createDirectories(home.resolve("data1"));

        assertThrows(PolicyException.class, () -> resolve(options().volume(data1 + ":" + target)));
    }

    // --- limits

    @Test
    void limitsAreParsed() {
        Limits limits = resolve(options().memory("2g").cpus("0.5").pids("256")).spec().limits();

        assertEquals(Limits.NONE.withMemory(2L << 30).withCpus(0.5).withPids(256), limits);
    }

    @ParameterizedTest
    @ValueSource(strings = {"12x", "-5", "", "1m", "5m"})
    void badOrTinyMemoryIsRefused(String memory) {
        assertThrows(PolicyException.class, () -> resolve(options().memory(memory)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "", "0", "0.001", "-1", "5", "NaN", "Infinity", "1e9"})
    void cpusOutOfRangeOrNotANumberAreRefused(String cpus) {
        PolicyException e = assertThrows(PolicyException.class, () -> resolve(options().cpus(cpus)));

        assertTrue(e.getMessage().contains("--cpus"), e.getMessage());
    }

    @Test
    void cpusUpToTheHostsCountAreAccepted() {
        assertEquals(OptionalDouble.of(HOST_CPUS), resolve(options().cpus(Integer.toString(HOST_CPUS))).spec().limits().cpus());
        assertEquals(OptionalDouble.of(0.01), resolve(options().cpus("0.01")).spec().limits().cpus());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "7", "-1", "x", "", "1.5", "99999999999999999999"})
    void pidsTooSmallOrNotAWholeNumberAreRefused(String pids) {
        PolicyException e = assertThrows(PolicyException.class, () -> resolve(options().pids(pids)));

        assertTrue(e.getMessage().contains("--pids"), e.getMessage());
    }

    // --- agents, names, backends

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "../x", "UPPER", "-x", "", "a b", ".."})
    void oddNamesAreRefused(String name) {
        assertThrows(CorralException.class, () -> resolve(options().name(name)));
    }

    @Test
    void anUnknownBackendIsRefusedNamingBoth() {
        PolicyException e = assertThrows(PolicyException.class, () -> resolve(options().backend("vm")));

        assertTrue(e.fix().orElseThrow().contains("native"));
        assertTrue(e.fix().orElseThrow().contains("docker"));
    }

    @Test
    void theDockerBackendIsStoredAndTheConfiguredDefaultOnlyAppliesToNewSandboxes() {
        SandboxSpec docker = resolve(options().backend("docker")).spec();
        assertEquals("docker", docker.backend());
        assertEquals(ContainerSettings.NONE, docker.container());

        SandboxSpec configured = SpecResolver.resolve(options().name("other").build(), context(workspace), name -> Optional.ofNullable(store.get(name)),
                "docker").spec();
        assertEquals("docker", configured.backend());

        stored(resolve(options()).spec().withBackend("native", ContainerSettings.NONE));
        SpecResolver.Resolution again = SpecResolver.resolve(options().build(), context(workspace), name -> Optional.ofNullable(store.get(name)), "docker");
        assertEquals("native", again.spec().backend(), "an existing sandbox kept its backend");
        assertEquals(List.of(), again.changes());
    }

    @Test
    void switchingBackendOrImageIsStoredAndSaid() {
        stored(resolve(options()).spec());
        RunOptions toDocker = withContainer(new ContainerSettings(Optional.of("node:22"), Optional.of("runsc")), "docker");
        SpecResolver.Resolution r = SpecResolver.resolve(toDocker, context(workspace), name -> Optional.ofNullable(store.get(name)));

        assertEquals("docker", r.spec().backend());
        assertEquals(Optional.of("node:22"), r.spec().container().image());
        assertEquals(Optional.of("runsc"), r.spec().container().runtime());
        assertEquals(List.of("backend native -> docker image node:22 runtime runsc"), r.changes());

        stored(r.spec());
        RunOptions imageOnly = withContainer(new ContainerSettings(Optional.of("debian:13"), Optional.empty()), null);
        SandboxSpec kept = SpecResolver.resolve(imageOnly, context(workspace), name -> Optional.ofNullable(store.get(name))).spec();
        assertEquals(Optional.of("debian:13"), kept.container().image());
        assertEquals(Optional.of("runsc"), kept.container().runtime(), "a runtime not given again is kept");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--image", "--runtime"})
    void imageAndRuntimeNeedTheDockerBackend(String option) {
        ContainerSettings given = option.equals("--image") ? new ContainerSettings(Optional.of("debian:13"), Optional.empty())
                : new ContainerSettings(Optional.empty(), Optional.of("runsc"));
        PolicyException e = assertThrows(PolicyException.class,
                () -> SpecResolver.resolve(withContainer(given, null), context(workspace), name -> Optional.ofNullable(store.get(name))));

        assertTrue(e.getMessage().startsWith(option + " needs the Docker backend"), e.getMessage());
        assertTrue(e.fix().orElseThrow().contains("--backend docker"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-rm", "UPPER/case", "a b", "x//y", "x:", "../x", "a;b", "$(id)"})
    void anImageNameThatIsNotOneIsRefused(String image) {
        assertThrows(PolicyException.class, () -> SpecResolver.resolve(
                withContainer(new ContainerSettings(Optional.of(image), Optional.empty()), "docker"), context(workspace),
                name -> Optional.ofNullable(store.get(name))));
    }

    private static RunOptions withContainer(ContainerSettings container, String backend) {
        return new RunOptions(Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.ofNullable(backend), Optional.empty(), List.of(), List.of(), List.of(), RunOptions.AgentOptions.NONE,
                Optional.empty(), container);
    }
}
