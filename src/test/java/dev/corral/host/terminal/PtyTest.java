package dev.corral.host.terminal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PtyTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void childOutputComesOutOfTheMaster() throws Exception {
        try (Pty pty = Pty.open()) {
            Process child = Sessions.bash(pty, "echo hello from the sandbox; echo to stderr >&2");
            try (MasterEnd master = MasterEnd.of(pty)) {
                master.awaitText("hello from the sandbox\r\n", WAIT);
                master.awaitText("to stderr\r\n", WAIT);
                assertEquals(0, child.waitFor());
            }
        }
    }

    @Test
    void bytesWrittenToTheMasterArriveOnTheChildsStdin() throws Exception {
        try (Pty pty = Pty.open()) {
            Process child = Sessions.bash(pty, "stty -echo; echo READY; read -r line; echo \"GOT:$line\"");
            try (MasterEnd master = MasterEnd.of(pty)) {
                master.awaitText("READY", WAIT);
                master.type("typed keys\r");
                master.awaitText("GOT:typed keys", WAIT);
                assertEquals(0, child.waitFor());
            }
        }
    }

    @Test
    void ctrlCInterruptsTheChildsForegroundProcessGroupOnly() throws Exception {
        try (Pty pty = Pty.open()) {
            Process child = Sessions.bash(pty, "trap 'echo GOT-INT; exit 9' INT; echo READY; while :; do sleep 0.1; done");
            try (MasterEnd master = MasterEnd.of(pty)) {
                master.awaitText("READY", WAIT);
                master.type((byte) 0x03);
                master.awaitText("GOT-INT", WAIT);
                assertTrue(child.waitFor(10, TimeUnit.SECONDS));
                assertEquals(9, child.exitValue());
            }
        }
        // This JVM is in another session: had the byte reached it as SIGINT, it would be gone by now.
        assertTrue(ProcessHandle.current().isAlive());
    }

    @Test
    void theChildSeesTheWindowSizeSetOnTheMaster() throws Exception {
        try (Pty pty = Pty.open()) {
            pty.setWindowSize(new WindowSize(33, 111));
            Process child = Sessions.bash(pty, "echo \"SIZE $(stty size)\"");
            try (MasterEnd master = MasterEnd.of(pty)) {
                master.awaitText("SIZE 33 111", WAIT);
                assertEquals(0, child.waitFor());
            }
        }
    }

    @Test
    void aResizeReachesTheRunningChildAsSigwinch() throws Exception {
        try (Pty pty = Pty.open()) {
            pty.setWindowSize(new WindowSize(24, 80));
            Process child = Sessions.bash(pty,
                    "trap 'echo \"SIZE $(stty size)\"; exit 0' WINCH; echo READY; while :; do sleep 0.1; done");
            try (MasterEnd master = MasterEnd.of(pty)) {
                master.awaitText("READY", WAIT);
                pty.setWindowSize(new WindowSize(40, 120));
                master.awaitText("SIZE 40 120", WAIT);
                assertEquals(0, child.waitFor());
            }
        }
    }

    @Test
    void readingTheMasterEndsPromptlyOnceTheChildExitsWithAllOutputDelivered() throws Exception {
        try (Pty pty = Pty.open()) {
            Process child = Sessions.bash(pty, "for i in $(seq 1 2000); do echo \"line $i\"; done");
            try (MasterEnd master = MasterEnd.of(pty)) {
                assertEquals(0, child.waitFor());
                assertTrue(master.awaitEnd(Duration.ofSeconds(2)), "the master still reads after the child exited");
                assertTrue(master.text().endsWith("line 2000\r\n"), () -> "output cut short: " + tail(master.text()));
            }
        }
    }

    @Test
    void theSupervisorDoesNotKeepTheSlaveOpen() throws Exception {
        try (Pty pty = Pty.open()) {
            Process child = Sessions.bash(pty, "read -r line");
            try {
                assertFalse(openInThisProcess(pty.slavePath()), "this JVM holds " + pty.slavePath());
            } finally {
                child.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void closeIsIdempotentAndFreesTheMaster() {
        Pty pty = Pty.open();
        int fd = pty.masterFd();
        pty.close();
        pty.close();
        assertThrows(IllegalStateException.class, pty::masterFd);
        assertThrows(IllegalStateException.class, () -> pty.setWindowSize(new WindowSize(24, 80)));
        assertFalse(linkTarget(Path.of("/proc/self/fd/" + fd)).equals("/dev/ptmx"), "the master is still open");
    }

    private static boolean openInThisProcess(Path file) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.anyMatch(fd -> linkTarget(fd).equals(file.toString()));
        }
    }

    private static String linkTarget(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(String text) {
        return text.substring(Math.max(0, text.length() - 200));
    }
}
