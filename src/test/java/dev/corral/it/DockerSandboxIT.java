package dev.corral.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What only a container needs: it must not outlive its supervisor whatever runs inside, the engine
 * must keep nothing of its output, a read-only volume must stay read-only below its top, and a
 * sandbox moved to the native backend leaves no Docker home behind.
 */
class DockerSandboxIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @ParameterizedTest
    @EnumSource(Invoker.class)
    void aContainerGoesWithItsKilledSupervisorWhateverItKilledInside(Invoker invoker) throws InterruptedException {
        try (CorralHarness corral = new CorralHarness(invoker, SandboxBackend.DOCKER)) {
            String marker = HostMarkers.sleepMarker();
            // everything the sandbox may signal is killed, then it holds on
            CorralHarness.Result started = corral.corral("run", "-d", "--name", "clinging", "--", "sh", "-c",
                    "kill -KILL -1; trap '' TERM HUP INT; sleep " + marker);
            assertEquals(0, started.exit(), started::toString);
            assertTrue(HostMarkers.awaitSleepers(marker, 1, WAIT), "the sandbox did not start");
            assertEquals(1, containers(corral, "clinging").size());

            long supervisor = ((Number) DetachedSandboxIT.sandbox(corral, "clinging").get("pid")).longValue();
            assertTrue(ProcessHandle.of(supervisor).orElseThrow().destroyForcibly());

            assertEquals(List.of(), HostMarkers.awaitNone(marker, WAIT), "the container outlived its supervisor");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!containers(corral, "clinging").isEmpty() && System.nanoTime() < deadline) Thread.sleep(100);
            assertEquals(List.of(), containers(corral, "clinging"), "the engine still has the container");
            assertEquals("stopped", DetachedSandboxIT.sandbox(corral, "clinging").get("status"));
        }
    }

    @ParameterizedTest
    @EnumSource(Invoker.class)
    void theEngineKeepsNoLogOfWhatTheSandboxWrites(Invoker invoker) {
        try (CorralHarness corral = new CorralHarness(invoker, SandboxBackend.DOCKER)) {
            CorralHarness.Result started = corral.corral("run", "-d", "--name", "quiet", "--", "sh", "-c", "echo secret-output; sleep 60");
            assertEquals(0, started.exit(), started::toString);
            String id = containers(corral, "quiet").getFirst();

            assertEquals("none", CorralHarness.run("docker", "inspect", "-f", "{{.HostConfig.LogConfig.Type}}", id).strip());
            assertEquals("", CorralHarness.run("docker", "inspect", "-f", "{{.LogPath}}", id).strip());
        }
    }

    /** This engine speaks API 1.41, which makes only the top of a read-only bind read-only. */
    @ParameterizedTest
    @EnumSource(value = Invoker.class, names = "ROOT")
    void aReadOnlyVolumeWithAMountUnderItIsRefusedWhereTheEngineCantCoverIt(Invoker invoker) throws IOException {
        try (CorralHarness corral = new CorralHarness(invoker, SandboxBackend.DOCKER)) {
            Path data = Files.createDirectories(corral.root().resolve("data/inner"));
            CorralHarness.run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", data.toString());
            try {
                CorralHarness.Result r = corral.corral("run", "-v", data.getParent() + ":/data:ro", "--", "sh", "-c",
                        "touch /data/inner/written && echo WROTE");

                assertEquals(125, r.exit(), r::toString);
                assertTrue(r.stderr().contains("has mounts under it"), r::toString);
                assertFalse(r.stdout().contains("WROTE"), r::toString);
                assertFalse(Files.exists(data.resolve("written")));
            } finally {
                CorralHarness.run("umount", data.toString());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Invoker.class)
    void aSandboxMovedToTheNativeBackendLeavesNoDockerHomeBehind(Invoker invoker) {
        try (CorralHarness corral = new CorralHarness(invoker, SandboxBackend.DOCKER)) {
            assertEquals(0, corral.corral("run", "--name", "mover", "--", "sh", "-c", "echo planted > ~/.planted").exit());
            Path volume = corral.sandboxHome("mover");
            assertTrue(Files.exists(volume.resolve(".planted")));

            CorralHarness.Result moved = corral.corral("run", "--name", "mover", "--backend", "native", "--", "true");
            assertEquals(0, moved.exit(), moved::toString);
            assertTrue(moved.stderr().contains("backend docker -> native"), moved::toString);
            assertFalse(Files.exists(volume), "the Docker home is gone with the move");

            assertEquals(0, corral.corral("rm", "mover").exit());
            CorralHarness.Result fresh = corral.corral("run", "--name", "mover", "--", "sh", "-c", "cat ~/.planted 2>/dev/null || echo none");
            assertEquals("none\n", fresh.stdout(), fresh::toString);
        }
    }

    /** The engine's containers of this harness's sandbox {@code name}, running or not. */
    private static List<String> containers(CorralHarness corral, String name) {
        return CorralHarness.run("docker", "ps", "-aq", "--no-trunc", "--filter", "label=dev.corral.sandbox=" + name).lines()
                .filter(l -> !l.isBlank()).toList();
    }
}
