package dev.corral.net;

import dev.corral.support.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The sandbox's decision log, one JSON object per line, kept with its settings so it outlives the
 * run. When it reaches {@link #MAX_BYTES} it moves to {@code .1} (replacing the older one), so it
 * never grows without bound.
 */
public final class DecisionLog implements Decision.Sink {
    static final long MAX_BYTES = 8L << 20;
    private final Path file;

    public DecisionLog(Path file) {
        this.file = file;
    }

    @Override
    public synchronized void record(Decision decision) {
        byte[] line = (Json.write(decision.toMap()) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            if (Files.exists(file) && Files.size(file) + line.length > MAX_BYTES) {
                Files.move(file, rotated(file), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.write(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            // the log must never break the connection it describes
        }
    }

    /** The last {@code limit} decisions (all when limit ≤ 0), oldest first; unreadable lines are skipped. */
    public static List<Decision> read(Path file, int limit) {
        List<Decision> all = new ArrayList<>();
        for (Path part : List.of(rotated(file), file)) {
            try {
                for (String line : Files.readAllLines(part, StandardCharsets.UTF_8)) {
                    if (line.isBlank()) continue;
                    try {
                        all.add(Decision.fromMap(Json.parseObject(line)));
                    } catch (RuntimeException e) {
                        // a line cut short by a crash
                    }
                }
            } catch (NoSuchFileException e) {
                // nothing logged yet
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return limit > 0 && all.size() > limit ? all.subList(all.size() - limit, all.size()) : all;
    }

    static Path rotated(Path file) {
        return file.resolveSibling(file.getFileName() + ".1");
    }
}
