package dev.corral.host.terminal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsoleLogTest {
    private static final OptionalInt ALL = OptionalInt.empty();

    @TempDir
    Path dir;

    @Test
    void theLogIsReadableByItsOwnerOnlyEvenUnderAPermissiveUmask() throws IOException {
        Path file = dir.resolve("console.log");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-rw-rw-")));
        try (ConsoleLog log = ConsoleLog.open(file)) {
            append(log, "x");
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void aRunUnderTheSameNameAppendsToTheLog() throws IOException {
        Path file = dir.resolve("console.log");
        try (ConsoleLog log = ConsoleLog.open(file)) {
            append(log, "first run\r\n");
        }
        try (ConsoleLog log = ConsoleLog.open(file)) {
            append(log, "second run\r\n");
        }
        assertEquals("first run\r\nsecond run\r\n", print(file, ALL));
    }

    @Test
    void passingTheCapRotatesOnceSoTheDiskHoldsAtMostTwiceTheCap() throws IOException {
        Path file = dir.resolve("console.log");
        try (ConsoleLog log = ConsoleLog.open(file, 100)) {
            for (int i = 0; i < 50; i++) append(log, "line %02d\n".formatted(i)); // 8 bytes each
        }
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "only the log and one rotated file");
        }
        assertTrue(Files.size(file) < 100);
        assertTrue(Files.size(ConsoleLog.rotated(file)) >= 100 && Files.size(ConsoleLog.rotated(file)) < 108);
        String all = print(file, ALL);
        assertTrue(all.endsWith("line 48\nline 49\n"), all);
        assertTrue(all.startsWith("line "), all);
        assertEquals(all, Files.readString(ConsoleLog.rotated(file)) + Files.readString(file), "the rotated part first");
    }

    @Test
    void theTailCountsLinesFromTheEndAsDockerLogsDoes() throws IOException {
        Path file = dir.resolve("console.log");
        try (ConsoleLog log = ConsoleLog.open(file)) {
            append(log, "one\r\ntwo\r\nthree\r\n");
        }
        assertEquals("two\r\nthree\r\n", print(file, OptionalInt.of(2)));
        assertEquals("three\r\n", print(file, OptionalInt.of(1)));
        assertEquals("", print(file, OptionalInt.of(0)));
        assertEquals("one\r\ntwo\r\nthree\r\n", print(file, OptionalInt.of(3)));
        assertEquals("one\r\ntwo\r\nthree\r\n", print(file, OptionalInt.of(1000)));
    }

    @Test
    void aPromptAfterTheLastNewlineIsTheLastLine() throws IOException {
        Path file = dir.resolve("console.log");
        try (ConsoleLog log = ConsoleLog.open(file)) {
            append(log, "output\r\n$ ");
        }
        assertEquals("$ ", print(file, OptionalInt.of(1)));
        assertEquals("output\r\n$ ", print(file, OptionalInt.of(2)));
    }

    @Test
    void theTailReachesBackIntoTheRotatedFile() throws IOException {
        Path file = dir.resolve("console.log");
        try (ConsoleLog log = ConsoleLog.open(file, 16)) {
            append(log, "aaaa\nbbbb\ncccc\n"); // 15 bytes: no rotation yet
            append(log, "dddd\n");            // 20: rotated
            append(log, "eeee\n");
        }
        assertEquals("aaaa\nbbbb\ncccc\ndddd\n", Files.readString(ConsoleLog.rotated(file)));
        assertEquals("cccc\ndddd\neeee\n", print(file, OptionalInt.of(3)));
    }

    @Test
    void theTailFindsLinesFarBackInALongLog() throws IOException {
        Path file = dir.resolve("console.log");
        StringBuilder expected = new StringBuilder();
        try (ConsoleLog log = ConsoleLog.open(file)) {
            append(log, "x".repeat(50_000) + "\n");
            for (int i = 0; i < 3; i++) {
                String line = Character.toString('a' + i).repeat(20_000) + "\n";
                append(log, line);
                expected.append(line);
            }
        }
        assertEquals(expected.toString(), print(file, OptionalInt.of(3)));
    }

    @Test
    void aLogNotWrittenYetPrintsNothing() throws IOException {
        assertEquals("", print(dir.resolve("console.log"), ALL));
        assertEquals("", print(dir.resolve("console.log"), OptionalInt.of(5)));
    }

    @Test
    void followPrintsWhatIsWrittenUntilTheSandboxStopsThenReturns() throws Exception {
        Path file = dir.resolve("console.log");
        AtomicBoolean running = new AtomicBoolean(true);
        try (ConsoleLog log = ConsoleLog.open(file)) {
            append(log, "before\n");
            Following following = Following.start(file, OptionalInt.empty(), running);
            following.awaitText("before\n");
            append(log, "after\n");
            following.awaitText("after\n");
            append(log, "last words\n");
            running.set(false);
            assertEquals("before\nafter\nlast words\n", following.result());
        }
    }

    @Test
    void followWithoutATailShowsOnlyNewOutput() throws Exception {
        Path file = dir.resolve("console.log");
        AtomicBoolean running = new AtomicBoolean(true);
        try (ConsoleLog log = ConsoleLog.open(file)) {
            append(log, "old\n");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
                try {
                    ConsoleLog.follow(file, out, running::get);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(300);
            append(log, "new\n");
            Thread.sleep(300);
            running.set(false);
            done.get(10, TimeUnit.SECONDS);
            assertEquals("new\n", out.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void followMissesNothingAcrossRotations() throws Exception {
        Path file = dir.resolve("console.log");
        AtomicBoolean running = new AtomicBoolean(true);
        StringBuilder written = new StringBuilder();
        try (ConsoleLog log = ConsoleLog.open(file, 8_000)) {
            append(log, "start\n");
            written.append("start\n");
            Following following = Following.start(file, OptionalInt.of(1), running);
            following.awaitText("start\n");
            for (int i = 0; i < 1_000; i++) {
                String line = "line %05d of the agent's output\n".formatted(i);
                append(log, line);
                written.append(line);
                Thread.sleep(1);
            }
            running.set(false);
            String shown = following.result();
            assertEquals(written.length(), shown.length(), "lost or repeated output");
            assertEquals(written.toString(), shown);
        }
    }

    @Test
    void followCopiesAFileThatWasCurrentOnlyBetweenTwoLooks() throws Exception {
        Path file = dir.resolve("console.log");
        AtomicBoolean running = new AtomicBoolean(true);
        try (ConsoleLog log = ConsoleLog.open(file, 100)) {
            append(log, "start\n");
            Following following = Following.start(file, OptionalInt.empty(), running);
            following.awaitText("start\n");
            String a = "A".repeat(119) + "\n";
            String b = "B".repeat(119) + "\n";
            append(log, a); // rotates: the file follow holds is console.log.1 now
            append(log, b); // rotates again: B's file replaces it as console.log.1
            append(log, "C\n");
            running.set(false);
            assertEquals("start\n" + a + b + "C\n", following.result());
        }
    }

    @Test
    void followWaitsForALogThatDoesNotExistYet() throws Exception {
        Path file = dir.resolve("console.log");
        AtomicBoolean running = new AtomicBoolean(true);
        Following following = Following.start(file, OptionalInt.empty(), running);
        Thread.sleep(200);
        try (ConsoleLog log = ConsoleLog.open(file)) {
            append(log, "hello\n");
            following.awaitText("hello\n");
        }
        running.set(false);
        assertEquals("hello\n", following.result());
    }

    private static void append(ConsoleLog log, String text) throws IOException {
        log.append(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String print(Path file, OptionalInt tail) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConsoleLog.print(file, out, tail);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** {@code corral logs -f} on a thread of its own. */
    private record Following(Attachment.Screen out, CompletableFuture<Void> done) {
        static Following start(Path file, OptionalInt tail, AtomicBoolean running) {
            Attachment.Screen out = new Attachment.Screen();
            CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
                try {
                    ConsoleLog.follow(file, out, tail, running::get);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            return new Following(out, done);
        }

        void awaitText(String text) throws InterruptedException {
            out.awaitText(text, java.time.Duration.ofSeconds(10));
        }

        String result() throws Exception {
            done.get(20, TimeUnit.SECONDS);
            return out.text();
        }
    }
}
