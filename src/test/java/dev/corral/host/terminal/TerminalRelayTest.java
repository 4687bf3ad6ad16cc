package dev.corral.host.terminal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay with a real user terminal: the test plays the user at an outer pty, a {@link RelayHarness}
 * JVM plays the supervisor with that pty as its terminal, and a bash script plays the sandbox.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TerminalRelayTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Set<String> RAW = Set.of("-icanon", "-echo", "-isig", "-opost", "-icrnl", "-ixon");
    private static final Set<String> COOKED = Set.of("icanon", "echo", "isig", "opost", "icrnl", "ixon");

    private Pty userTerminal;
    private MasterEnd user;
    private Process supervisor;

    @BeforeEach
    void openTheUsersTerminal() {
        userTerminal = Pty.open();
        userTerminal.setWindowSize(new WindowSize(30, 100));
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        if (supervisor != null) supervisor.destroyForcibly().waitFor();
        if (user != null) user.close();
        userTerminal.close();
    }

    @Test
    void theUsersTerminalIsRawWhileRelayingAndRestoredAfterwards() throws Exception {
        assertSettings(COOKED);
        startSupervisor("echo READY; read -r line; echo \"GOT:$line\"");
        user.awaitText("READY", WAIT);
        assertSettings(RAW);
        user.type("done\r");
        assertEquals(0, supervisor.waitFor());
        assertSettings(COOKED);
    }

    @Test
    void keystrokesReachTheSandboxAndItsOutputReachesTheUserUntouched() throws Exception {
        startSupervisor("echo READY; read -r line; printf 'GOT:%s\\n' \"$line\"");
        user.awaitText("READY", WAIT);
        user.type("hello sandbox\r");
        user.awaitText("GOT:hello sandbox\r\n", WAIT);
        user.awaitText("EXIT 0 FLUSHED", WAIT);
        assertEquals(0, supervisor.waitFor());
    }

    @Test
    void ctrlCTravelsAsAByteAndInterruptsTheSandboxNotTheSupervisor() throws Exception {
        startSupervisor("trap 'echo GOT-INT; exit 9' INT; echo READY; while :; do sleep 0.1; done");
        user.awaitText("READY", WAIT);
        user.type((byte) 0x03);
        user.awaitText("GOT-INT", WAIT);
        user.awaitText("EXIT 9 FLUSHED", WAIT);
        assertEquals(9, supervisor.waitFor(), "the supervisor did not report the sandbox's status:\n" + user.text());
        assertSettings(COOKED);
    }

    @Test
    void theSandboxStartsWithTheUsersWindowSizeAndFollowsResizes() throws Exception {
        startSupervisor("trap 'echo \"SIZE $(stty size)\"' WINCH; trap 'exit 0' INT; "
                + "echo \"SIZE $(stty size)\"; echo READY; while :; do sleep 0.1; done");
        user.awaitText("SIZE 30 100", WAIT);
        user.awaitText("READY", WAIT);
        userTerminal.setWindowSize(new WindowSize(42, 132));
        user.awaitText("SIZE 42 132", WAIT);
        user.type((byte) 0x03);
        assertEquals(0, supervisor.waitFor());
    }

    @Test
    void theUsersTerminalIsRestoredWhenTheSupervisorIsTerminated() throws Exception {
        startSupervisor("echo READY; while :; do sleep 0.1; done");
        user.awaitText("READY", WAIT);
        assertSettings(RAW);
        ProcessHandle.of(harnessPid()).orElseThrow().destroy();
        assertEquals(143, supervisor.waitFor());
        assertSettings(COOKED);
    }

    @Test
    void afterCloseTheUsersKeystrokesGoToTheSupervisorAgain() throws Exception {
        startSupervisor("echo READY; exit 3", "read-after");
        user.awaitText("PROMPT", WAIT);
        user.type("next question\r");
        user.awaitText("AFTER:next question", WAIT);
        assertEquals(3, supervisor.waitFor());
    }

    private void startSupervisor(String... harnessArgs) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), RelayHarness.class.getName()));
        command.addAll(List.of(harnessArgs));
        supervisor = Sessions.start(userTerminal, command);
        user = MasterEnd.of(userTerminal);
    }

    private long harnessPid() throws InterruptedException {
        user.awaitText("HARNESS ", WAIT);
        Matcher m = Pattern.compile("HARNESS (\\d+)").matcher(user.text());
        assertTrue(m.find(), user.text());
        return Long.parseLong(m.group(1));
    }

    /** Asserts the user's terminal has all of {@code expected} in {@code stty -a}. */
    private void assertSettings(Set<String> expected) throws IOException, InterruptedException {
        Process stty = new ProcessBuilder("stty", "-a", "-F", userTerminal.slavePath().toString())
                .redirectErrorStream(true).start();
        String out = new String(stty.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, stty.waitFor(), out);
        List<String> settings = List.of(out.split("[\\s;]+"));
        for (String setting : expected) assertTrue(settings.contains(setting), "no " + setting + " in\n" + out);
    }
}
