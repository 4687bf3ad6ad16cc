package dev.corral.host.terminal;

import dev.corral.host.HostException;
import dev.corral.host.Libc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The supervisor's side with real ptys and sockets: a bash script plays the sandbox on the console's
 * pty, in-process {@link ConsoleClient}s and hand-made {@link RawClient}s attach to it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DetachedConsoleTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final byte CTRL_P = 0x10;
    private static final byte CTRL_Q = 0x11;
    /** Prints each byte the sandbox reads, in hex: what reached it, and nothing else. */
    private static final String BYTE_ECHO = "stty raw -echo; echo READY; while :; do b=$(head -c1 | od -An -tx1); echo \"BYTE$b\"; done";

    @TempDir
    Path dir;
    private Pty pty;
    private Path socket;
    private Path logFile;
    private DetachedConsole console;
    private Process sandbox;
    private Keyboard keyboard;
    private final List<Integer> inputs = new ArrayList<>();

    @BeforeEach
    void startTheConsole() {
        pty = Pty.open();
        pty.setWindowSize(new WindowSize(24, 80));
        socket = dir.resolve("console.sock");
        logFile = dir.resolve("console.log");
        console = DetachedConsole.start(pty, socket, ConsoleLog.open(logFile));
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        if (sandbox != null) sandbox.destroyForcibly().waitFor();
        console.close();
        Attachment.awaitAllEnded(WAIT);
        if (keyboard != null) keyboard.close();
        for (int fd : inputs) Libc.close(fd);
    }

    @Test
    void outputReachesTheLogAndEveryAttachedClientAndInputReachesTheSandbox() throws Exception {
        sandbox("echo READY; read -r line; echo \"GOT:$line\"; read -r again");
        awaitLog("READY");
        Attachment typing = attach();
        Attachment watching = Attachment.start(socket, devNull(), Optional::empty);
        awaitClients(2);
        keyboard.type("hello sandbox\r");
        typing.awaitText("GOT:hello sandbox\r\n", WAIT);
        watching.awaitText("GOT:hello sandbox\r\n", WAIT);
        awaitLog("GOT:hello sandbox\r\n");
        assertFalse(typing.text().contains("READY"), "attaching replays nothing: " + typing.text());
    }

    @Test
    void theConsoleReadsTheSandboxsOutputWhileNobodyIsAttached() throws Exception {
        sandbox("head -c 1000000 /dev/zero | tr '\\0' y; echo; echo END");
        assertTrue(sandbox.waitFor(20, TimeUnit.SECONDS), "the sandbox blocked writing to its terminal");
        assertTrue(console.awaitOutput(Duration.ofSeconds(5)));
        assertTrue(Files.size(logFile) > 1_000_000);
        String log = log();
        assertTrue(log.endsWith("y\r\nEND\r\n"), () -> tail(log));
    }

    @Test
    void aClientThatNeverReadsIsDroppedWithoutHoldingUpTheLogOrTheOthers() throws Exception {
        // 3 MB at a pace any reader keeps up with (a pause of 0.2 s would not drop one); the stuck one falls behind
        sandbox("read -r line; for i in $(seq 60); do head -c 50000 /dev/zero | tr '\\0' x; sleep 0.01; done; echo; echo DONE; read -r again");
        try (RawClient stuck = RawClient.connect(socket)) {
            Attachment reading = attach();
            awaitClients(2);
            keyboard.type("go\r");
            reading.awaitText("x\r\nDONE\r\n", WAIT);
            assertFalse(reading.ended(), "the reading client was dropped too");
            awaitLog("x\r\nDONE\r\n");
            assertTrue(Files.size(logFile) > 3_000_000);
            awaitClients(1);
            long taken = stuck.awaitClosedByServer(WAIT);
            assertTrue(taken >= 0 && taken < 3_000_000, "the stuck client was not dropped: " + taken);
        }
    }

    @Test
    void inputTheSandboxDoesNotReadYetWaitsAndArrivesWholeAndInOrder() throws Exception {
        byte[] paste = new byte[1_000_000];
        for (int i = 0; i < paste.length; i++) paste[i] = (byte) ('a' + i % 26);
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(paste));
        sandbox("stty raw -echo; echo READY; sleep 1; head -c " + paste.length + " | md5sum; read -r again");
        awaitLog("READY");
        Path pasted = dir.resolve("paste");
        Files.write(pasted, paste);
        Attachment attached = Attachment.start(socket, input(pasted), Optional::empty);
        attached.awaitText(md5, WAIT);
    }

    @Test
    void aClientsWindowSizeBecomesTheSandboxs() throws Exception {
        sandbox("read -r line; echo \"SIZE $(stty size)\"; read -r again");
        keyboard = Keyboard.raw();
        keyboard.resize(new WindowSize(40, 120));
        Attachment attached = Attachment.start(socket, keyboard.fd(), () -> Terminals.windowSize(keyboard.fd()));
        awaitClients(1);
        await(() -> pty.windowSize().equals(Optional.of(new WindowSize(40, 120))), "the size of the sandbox's terminal");
        keyboard.type("go\r");
        attached.awaitText("SIZE 40 120", WAIT);
    }

    @Test
    void attachingWithTheSameSizeStillMakesTheSandboxRedraw() throws Exception {
        sandbox("trap 'echo \"WINCH $(stty size)\"' WINCH; echo READY; while :; do sleep 0.05; done");
        awaitLog("READY");
        keyboard = Keyboard.raw();
        keyboard.resize(new WindowSize(24, 80));
        Attachment.start(socket, keyboard.fd(), () -> Terminals.windowSize(keyboard.fd()));
        awaitLog("WINCH 24 80");
        assertEquals(Optional.of(new WindowSize(24, 80)), pty.windowSize());
    }

    @Test
    void theDetachKeysLeaveTheSandboxRunningAndAreNotTyped() throws Exception {
        sandbox(BYTE_ECHO);
        awaitLog("READY");
        Attachment attached = attach();
        awaitClients(1);
        keyboard.type(CTRL_P, CTRL_Q);
        assertEquals(ConsoleClient.Outcome.DETACHED, attached.outcome(WAIT));
        awaitClients(0);
        assertTrue(sandbox.isAlive());
        typeOnceAttached("z");
        awaitLog("BYTE 7a");
        assertFalse(log().contains("BYTE 10") || log().contains("BYTE 11"), log());
    }

    @Test
    void detachKeysSplitAcrossReadsStillDetach() throws Exception {
        sandbox(BYTE_ECHO);
        awaitLog("READY");
        Attachment attached = attach();
        awaitClients(1);
        keyboard.type(CTRL_P);
        Thread.sleep(200);
        assertFalse(attached.ended());
        assertFalse(log().contains("BYTE 10"), "the Ctrl-P went to the sandbox before the next key came");
        keyboard.type(CTRL_Q);
        assertEquals(ConsoleClient.Outcome.DETACHED, attached.outcome(WAIT));
        typeOnceAttached("z");
        awaitLog("BYTE 7a");
        assertFalse(log().contains("BYTE 10") || log().contains("BYTE 11"), log());
    }

    @Test
    void thePartOfTheDetachKeysTypedIsSentOnWhenTheNextKeyIsAnother() throws Exception {
        sandbox(BYTE_ECHO);
        awaitLog("READY");
        Attachment attached = attach();
        awaitClients(1);
        keyboard.type(CTRL_P);
        keyboard.type("x");
        attached.awaitText("BYTE 10\nBYTE 78\n", WAIT);
        assertFalse(attached.ended());
    }

    @Test
    void theExitStatusReachesTheClientAfterAllTheOutput() throws Exception {
        sandbox("read -r line; seq 1 20000; exit 7");
        Attachment attached = attach();
        awaitClients(1);
        keyboard.type("go\r");
        assertEquals(7, sandbox.waitFor());
        console.finish(7);
        assertEquals(new ConsoleClient.Outcome.Exited(7), attached.outcome(WAIT));
        assertTrue(attached.text().endsWith("19999\r\n20000\r\n"), () -> tail(attached.text()));
        assertTrue(log().endsWith("19999\r\n20000\r\n"));
        assertFalse(Files.exists(socket), "the socket outlived the console");
    }

    @Test
    void aClientSeesTheConsoleLostWhenTheSupervisorGoesWithoutAnExitStatus() throws Exception {
        sandbox("sleep 30");
        Attachment attached = attach();
        awaitClients(1);
        console.close();
        assertEquals(ConsoleClient.Outcome.LOST, attached.outcome(WAIT));
    }

    @Test
    void aMalformedFrameClosesThatClientOnly() throws Exception {
        sandbox("read -r line; echo \"GOT:$line\"; read -r again");
        Attachment attached = attach();
        try (RawClient unknownType = RawClient.connect(socket); RawClient oversized = RawClient.connect(socket);
             RawClient exitFromAClient = RawClient.connect(socket)) {
            awaitClients(4);
            unknownType.send(new byte[] {9, 0, 0, 0, 1, 'x'});
            oversized.send(new byte[] {ConsoleFrames.DATA, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
            exitFromAClient.send(ConsoleFrames.exit(0));
            assertTrue(unknownType.awaitClosedByServer(WAIT) >= 0);
            assertTrue(oversized.awaitClosedByServer(WAIT) >= 0);
            assertTrue(exitFromAClient.awaitClosedByServer(WAIT) >= 0);
            awaitClients(1);
            keyboard.type("still here\r");
            attached.awaitText("GOT:still here", WAIT);
        }
    }

    @Test
    void manyAttachAndDetachCyclesLeakNoDescriptors() throws Exception {
        sandbox("while :; do sleep 1; done");
        keyboard = Keyboard.raw();
        attachAndDetach(); // loads what the first attach loads once
        awaitClients(0);
        long before = socketsAndEventfds();
        for (int i = 0; i < 30; i++) attachAndDetach();
        awaitClients(0);
        await(() -> socketsAndEventfds() <= before, "sockets and eventfds back to " + before + " (now " + socketsAndEventfds() + ")");
    }

    @Test
    void aConsoleRunsOnTwoThreadsWhateverTheClientsAndLeavesNoneBehind() throws Exception {
        sandbox("read -r line; echo \"GOT:$line\"; read -r again");
        assertEquals(2, consoleThreads());
        Attachment typing = attach();
        for (int i = 0; i < 5; i++) Attachment.start(socket, devNull(), Optional::empty);
        awaitClients(6);
        keyboard.type("go\r");
        typing.awaitText("GOT:go", WAIT);
        assertEquals(2, consoleThreads());
        console.close();
        await(() -> consoleThreads() == 0, "the console's threads to end");
    }

    @Test
    void theSocketIsTheUsersOnlyAndGoesWithTheConsole() throws IOException {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        console.close();
        assertFalse(Files.exists(socket));
    }

    @Test
    void aSecondConsoleCannotTakeTheSocketOfALiveOne() {
        try (Pty other = Pty.open()) {
            HostException e = assertThrows(HostException.class,
                    () -> DetachedConsole.start(other, socket, ConsoleLog.open(dir.resolve("other.log"))));
            assertTrue(e.getMessage().startsWith("another supervisor serves the console at"), e.getMessage());
        }
        assertTrue(Files.exists(socket));
    }

    @Test
    void aSocketLeftByADeadSupervisorIsReplaced() throws Exception {
        Path stale = dir.resolve("stale.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(stale));
        }
        assertTrue(Files.exists(stale));
        try (Pty other = Pty.open(); DetachedConsole replacing = DetachedConsole.start(other, stale, ConsoleLog.open(dir.resolve("o.log")))) {
            try (RawClient client = RawClient.connect(stale)) {
                client.send(ConsoleFrames.resize(new WindowSize(33, 99)));
                await(() -> other.windowSize().equals(Optional.of(new WindowSize(33, 99))), "the new console answers");
            }
        }
    }

    @Test
    void attachingWhereNoConsoleIsSaysSoInOneLine() throws IOException {
        HostException missing = assertThrows(HostException.class,
                () -> ConsoleClient.attach(dir.resolve("none.sock"), DetachKeys.DEFAULT));
        assertTrue(missing.getMessage().contains("no detached console"), missing.getMessage());
        assertTrue(missing.fix().orElseThrow().contains("corral run -d"));

        Path stale = dir.resolve("stale.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(stale));
        }
        HostException refused = assertThrows(HostException.class, () -> ConsoleClient.attach(stale, DetachKeys.DEFAULT));
        assertTrue(refused.getMessage().contains("does not answer"), refused.getMessage());
        assertFalse(refused.getMessage().contains("\n"));
    }

    private void attachAndDetach() throws Exception {
        Attachment attached = Attachment.start(socket, keyboard.fd(), Optional::empty);
        awaitClients(1);
        keyboard.type(CTRL_P, CTRL_Q);
        assertEquals(ConsoleClient.Outcome.DETACHED, attached.outcome(WAIT));
        awaitClients(0);
    }

    /** Attaches a client with {@link #keyboard} as its stdin (a raw terminal), of no known size. */
    private Attachment attach() {
        if (keyboard == null) keyboard = Keyboard.raw();
        return Attachment.start(socket, keyboard.fd(), Optional::empty);
    }

    /** Types {@code text} through a new client, once it is attached. */
    private void typeOnceAttached(String text) throws Exception {
        attach();
        awaitClients(1);
        keyboard.type(text);
    }

    private int devNull() {
        return input(Path.of("/dev/null"));
    }

    /** Opens {@code file} for a client to read; it is closed after the test, once the clients ended. */
    private int input(Path file) {
        int fd = Libc.open(file.toString(), Libc.O_CLOEXEC);
        if (fd < 0) throw new AssertionError("cannot open " + file + ": " + Libc.strerror(Libc.errno()));
        inputs.add(fd);
        return fd;
    }

    private void sandbox(String script) throws IOException {
        sandbox = Sessions.bash(pty, script);
    }

    private String log() throws IOException {
        return new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8);
    }

    private void awaitLog(String expected) throws Exception {
        await(() -> {
            try {
                return log().contains(expected);
            } catch (IOException e) {
                return false;
            }
        }, "\"" + expected + "\" in the log");
    }

    private void awaitClients(int count) throws InterruptedException {
        await(() -> console.attachedClients() == count, count + " attached clients (now " + console.attachedClients() + ")");
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("waited in vain for " + what);
            Thread.sleep(10);
        }
    }

    private static long consoleThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("corral-console-")).count();
    }

    /** What attaching opens, on both sides; other descriptors of the JVM's come and go on their own. */
    static long socketsAndEventfds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(DetachedConsoleTest::target).filter(t -> t.startsWith("socket:") || t.equals("anon_inode:[eventfd]")).count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String target(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException closedMeanwhile) {
            return "";
        }
    }

    private static String tail(String text) {
        return text.substring(Math.max(0, text.length() - 300));
    }
}
