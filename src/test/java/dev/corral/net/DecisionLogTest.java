package dev.corral.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.support.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decision log on disk: appending, reading back, rotating. */
class DecisionLogTest {
    @TempDir
    Path tmp;

    private Path file;
    private DecisionLog log;

    @BeforeEach
    void open() {
        file = tmp.resolve("decisions.jsonl");
        log = new DecisionLog(file);
    }

    private static Decision decision(String host) {
        return new Decision(Instant.parse("2026-11-29T06:00:00Z"), "connect", host, 443, Optional.empty(), true, "preset open", "",
                Optional.of("203.0.113.7"), 10, 20, List.of(), List.of());
    }

    private static List<String> hosts(List<Decision> decisions) {
        return decisions.stream().map(Decision::host).toList();
    }

    /** Pads the log with blank lines until one more line of {@code room} bytes would no longer fit. */
    private void fillUpTo(Path path, long room) throws IOException {
        long size = Files.exists(path) ? Files.size(path) : 0;
        try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            byte[] blanks = "\n".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            long left = DecisionLog.MAX_BYTES - room - size;
            while (left > 0) {
                int n = (int) Math.min(blanks.length, left);
                out.write(blanks, 0, n);
                left -= n;
            }
        }
    }

    @Test
    void decisionsAreAppendedAsOneJsonObjectPerLine() throws IOException {
        log.record(decision("a.example"));
        log.record(decision("b.example"));

        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        assertEquals("a.example", Json.parseObject(lines.get(0)).get("host"));
        assertEquals(List.of(decision("a.example"), decision("b.example")), DecisionLog.read(file, 0));
    }

    @Test
    void readingWithALimitGivesTheLastOnesOldestFirst() {
        for (int i = 0; i < 10; i++) log.record(decision("h" + i + ".example"));

        assertEquals(List.of("h7.example", "h8.example", "h9.example"), hosts(DecisionLog.read(file, 3)));
        assertEquals(10, DecisionLog.read(file, 0).size());
        assertEquals(10, DecisionLog.read(file, -1).size());
        assertEquals(10, DecisionLog.read(file, 100).size());
    }

    @Test
    void aLogNotYetWrittenReadsAsEmpty() {
        assertEquals(List.of(), DecisionLog.read(file, 0));
    }

    @Test
    void unreadableLinesAreSkipped() throws IOException {
        log.record(decision("first.example"));
        Files.writeString(file, "not json\n{\"time\":\"yesterday\",\"host\":\"x\",\"port\":1}\n\n   \n{\"host\":\"no-time\"}\n",
                StandardOpenOption.APPEND);
        log.record(decision("second.example"));
        Files.writeString(file, "{\"time\":\"2026-11-29T06:00:00Z\",\"host\":\"cut.exa", StandardOpenOption.APPEND);

        assertEquals(List.of("first.example", "second.example"), hosts(DecisionLog.read(file, 0)));
    }

    @Test
    void aFullLogMovesToDotOneAndANewOneStarts() throws IOException {
        log.record(decision("old.example"));
        fillUpTo(file, 10);

        log.record(decision("new.example"));

        Path rotated = DecisionLog.rotated(file);
        assertEquals(tmp.resolve("decisions.jsonl.1"), rotated);
        assertTrue(Files.size(rotated) <= DecisionLog.MAX_BYTES);
        assertEquals(List.of("old.example"), hosts(readOnly(rotated)));
        assertEquals(List.of("new.example"), hosts(readOnly(file)));
        assertEquals(List.of("old.example", "new.example"), hosts(DecisionLog.read(file, 0)), "reading spans both files");
    }

    private static List<Decision> readOnly(Path path) throws IOException {
        return Files.readAllLines(path).stream().filter(l -> !l.isBlank()).map(l -> Decision.fromMap(Json.parseObject(l))).toList();
    }

    @Test
    void aLogJustBelowTheLimitIsNotRotated() throws IOException {
        log.record(decision("a.example"));
        long line = Files.size(file);
        fillUpTo(file, line);

        log.record(decision("b.example"));

        assertFalse(Files.exists(DecisionLog.rotated(file)));
        assertEquals(DecisionLog.MAX_BYTES, Files.size(file));
    }

    @Test
    void onlyThePreviousFileIsKept() throws IOException {
        log.record(decision("first.example"));
        fillUpTo(file, 10);
        log.record(decision("second.example"));
        log.record(decision("third.example"));
        fillUpTo(file, 10);

        log.record(decision("fourth.example"));

        assertEquals(List.of("second.example", "third.example"), hosts(readOnly(DecisionLog.rotated(file))));
        assertEquals(List.of("fourth.example"), hosts(readOnly(file)));
        assertEquals(List.of("second.example", "third.example", "fourth.example"), hosts(DecisionLog.read(file, 0)));
        assertEquals(List.of("fourth.example"), hosts(DecisionLog.read(file, 1)));
    }

    @Test
    void aLogThatCannotBeWrittenDoesNotBreakTheConnection() {
        DecisionLog broken = new DecisionLog(tmp.resolve("missing-folder/decisions.jsonl"));

        broken.record(decision("a.example"));

        assertEquals(List.of(), DecisionLog.read(tmp.resolve("missing-folder/decisions.jsonl"), 0));
    }
}
