package dev.corral.host.terminal;

import dev.corral.host.Libc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.corral.host.terminal.DetachedConsoleTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code corral attach} as the user sees it: the terminal's mode, its size, its end of input, and a
 * client in a JVM of its own whose terminal is a pty the test plays the user at.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsoleClientTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Set<String> RAW = Set.of("-icanon", "-echo", "-isig", "-opost", "-icrnl", "-ixon");
    private static final Set<String> COOKED = Set.of("icanon", "echo", "isig", "opost", "icrnl", "ixon");

    @TempDir
    Path dir;
    private Pty pty;
    private Path socket;
    private DetachedConsole console;
    private Process sandbox;
    private Keyboard keyboard;
    private int scriptInput = -1;
    private Process harness;
    private MasterEnd user;
    private Pty userTerminal;

    @BeforeEach
    void startTheConsole() {
        pty = Pty.open();
        pty.setWindowSize(new WindowSize(24, 80));
        socket = dir.resolve("console.sock");
        console = DetachedConsole.start(pty, socket, ConsoleLog.open(dir.resolve("console.log")));
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        if (harness != null) harness.destroyForcibly().waitFor();
        if (user != null) user.close();
        if (userTerminal != null) userTerminal.close();
        if (sandbox != null) sandbox.destroyForcibly().waitFor();
        console.close();
        Attachment.awaitAllEnded(WAIT);
        if (keyboard != null) keyboard.close();
        if (scriptInput >= 0) Libc.close(scriptInput);
    }

    @Test
    void theUsersTerminalIsRawWhileAttachedAndRestoredOnDetaching() throws Exception {
        sandbox = Sessions.bash(pty, "sleep 30");
        keyboard = Keyboard.cooked();
        assertTrue(keyboard.settings().containsAll(COOKED));
        Attachment attached = Attachment.start(socket, keyboard.fd(), Optional::empty);
        await(() -> settingsOf(keyboard).containsAll(RAW), "raw mode");
        keyboard.type((byte) 0x10, (byte) 0x11);
        assertEquals(ConsoleClient.Outcome.DETACHED, attached.outcome(WAIT));
        assertTrue(keyboard.settings().containsAll(COOKED), keyboard.settings().toString());
    }

    @Test
    void inputThatIsNoTerminalIsSentAsItIsAndItsEndDoesNotEndTheSession() throws Exception {
        sandbox = Sessions.bash(pty, "read -r line; echo \"GOT:$line\"; sleep 0.5; echo LATER; exit 3");
        Path script = dir.resolve("input");
        Files.writeString(script, "typed by a script\n");
        scriptInput = Libc.open(script.toString(), Libc.O_CLOEXEC);
        Attachment attached = Attachment.start(socket, scriptInput, Optional::empty);
        attached.awaitText("GOT:typed by a script", WAIT);
        assertEquals(3, sandbox.waitFor());
        console.finish(3);
        assertEquals(new ConsoleClient.Outcome.Exited(3), attached.outcome(WAIT));
        assertTrue(attached.text().contains("LATER"), attached.text());
    }

    @Test
    void aResizeOfTheUsersTerminalFollowsOnSigwinch() throws Exception {
        sandbox = Sessions.bash(pty, "trap 'echo \"WINCH $(stty size)\"' WINCH; echo READY; while :; do sleep 0.05; done");
        awaitLog("READY"); // the trap is set: a SIGWINCH before it would go unseen
        keyboard = Keyboard.raw();
        keyboard.resize(new WindowSize(24, 80));
        Attachment attached = Attachment.start(socket, keyboard.fd(), () -> Terminals.windowSize(keyboard.fd()));
        attached.awaitText("WINCH 24 80", WAIT);
        keyboard.resize(new WindowSize(50, 150)); // not this JVM's terminal: the kernel does not signal it
        Process kill = new ProcessBuilder("kill", "-WINCH", Long.toString(ProcessHandle.current().pid())).start();
        assertEquals(0, kill.waitFor());
        attached.awaitText("WINCH 50 150", WAIT);
    }

    @Test
    void aRealAttachFollowsTheUsersWindowAndDetachesOnCtrlPCtrlQ() throws Exception {
        sandbox = Sessions.bash(pty, "trap 'echo \"WINCH $(stty size)\"' WINCH; echo READY; while :; do sleep 0.05; done");
        awaitLog("READY");
        startHarness();
        await(() -> console.attachedClients() == 1, "the harness attached");
        user.awaitText("WINCH 30 100", WAIT);
        assertTrue(userSettings().containsAll(RAW));
        userTerminal.setWindowSize(new WindowSize(42, 132));
        user.awaitText("WINCH 42 132", WAIT);
        user.type((byte) 0x10, (byte) 0x11);
        user.awaitText("OUTCOME " + ConsoleClient.Outcome.DETACHED, WAIT);
        assertEquals(0, harness.waitFor());
        assertTrue(userSettings().containsAll(COOKED));
        assertTrue(sandbox.isAlive());
    }

    @Test
    void theUsersTerminalIsRestoredWhenAttachIsTerminated() throws Exception {
        sandbox = Sessions.bash(pty, "sleep 30");
        startHarness();
        await(() -> console.attachedClients() == 1, "the harness attached");
        await(() -> userSettings().containsAll(RAW), "raw mode");
        user.awaitText("HARNESS ", WAIT);
        long pid = Long.parseLong(user.text().replaceAll("(?s).*HARNESS (\\d+).*", "$1"));
        ProcessHandle.of(pid).orElseThrow().destroy();
        assertEquals(143, harness.waitFor());
        assertTrue(userSettings().containsAll(COOKED), userSettings().toString());
        await(() -> console.attachedClients() == 0, "the console noticed");
        assertTrue(sandbox.isAlive());
    }

    private void awaitLog(String expected) throws InterruptedException {
        Path log = dir.resolve("console.log");
        await(() -> {
            try {
                return Files.readString(log).contains(expected);
            } catch (IOException e) {
                return false;
            }
        }, "\"" + expected + "\" in the log");
    }

    private void startHarness() throws IOException {
        userTerminal = Pty.open();
        userTerminal.setWindowSize(new WindowSize(30, 100));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), AttachHarness.class.getName(), socket.toString()));
        harness = Sessions.start(userTerminal, command);
        user = MasterEnd.of(userTerminal);
    }

    private List<String> userSettings() {
        try {
            Process stty = new ProcessBuilder("stty", "-a", "-F", userTerminal.slavePath().toString()).redirectErrorStream(true).start();
            String out = new String(stty.getInputStream().readAllBytes());
            stty.waitFor();
            return List.of(out.split("[\\s;]+"));
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> settingsOf(Keyboard keyboard) {
        try {
            return keyboard.settings();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
