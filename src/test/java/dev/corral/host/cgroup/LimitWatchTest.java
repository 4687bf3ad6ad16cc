package dev.corral.host.cgroup;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LimitWatchTest {
    @TempDir
    Path tmp;

    @Test
    void theHighestCountsSeenAreKeptAfterTheCgroupIsGone() throws IOException, InterruptedException {
        Path v2 = Files.createDirectories(tmp.resolve("v2"));
        Files.writeString(v2.resolve("cgroup.procs"), "");
        Files.writeString(v2.resolve("memory.events"), "low 0\nhigh 0\nmax 4\noom 2\noom_kill 2\n");
        Files.writeString(v2.resolve("pids.events"), "max 7\n");
        try (LimitWatch watch = LimitWatch.start(List.of(v2.resolve("cgroup.procs")))) {
            Thread.sleep(LimitWatch.INTERVAL.toMillis() * 2);
            Files.delete(v2.resolve("memory.events"));
            Files.delete(v2.resolve("pids.events"));

            assertEquals(new Confinement.LimitEvents(2, 7), watch.events());
        }
    }

    @Test
    void cgroupV1FilesAreReadToo() throws IOException {
        Path memory = Files.createDirectories(tmp.resolve("memory/docker/abc"));
        Path pids = Files.createDirectories(tmp.resolve("pids/docker/abc"));
        Files.writeString(memory.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
        Files.writeString(pids.resolve("pids.events"), "max 0\n");
        try (LimitWatch watch = LimitWatch.start(List.of(memory.resolve("cgroup.procs"), pids.resolve("cgroup.procs")))) {
            assertEquals(new Confinement.LimitEvents(1, 0), watch.events());
        }
    }

    @Test
    void nothingToWatchIsNoHits() {
        try (LimitWatch watch = LimitWatch.start(List.of())) {
            assertEquals(Confinement.LimitEvents.NONE, watch.events());
        }
    }

    @Test
    void aMalformedFileCountsAsNothing() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("odd"));
        Files.writeString(dir.resolve("pids.events"), "max lots\n");
        assertEquals(0, LimitWatch.counter(dir.resolve("pids.events"), "max"));
        assertEquals(0, LimitWatch.counter(dir.resolve("absent"), "max"));
    }
}
