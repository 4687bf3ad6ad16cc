package dev.corral.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Facts about host processes, read from /proc. */
public final class Processes {
    private Processes() {
    }

    /** The process's start time in clock ticks since boot (field 22 of /proc/PID/stat). */
    public static OptionalLong startTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String afterName = stat.substring(stat.lastIndexOf(')') + 2);
            String[] fields = afterName.split(" ");
            return OptionalLong.of(Long.parseLong(fields[19]));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** How many tasks (processes and threads) the user runs right now, from /proc/PID/status. */
    public static long tasksOf(long uid) {
        long tasks = 0;
        try (var dirs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path dir : dirs) {
                try {
                    long owner = -1;
                    long threads = 0;
                    for (String line : Files.readAllLines(dir.resolve("status"))) {
                        if (line.startsWith("Uid:")) owner = Long.parseLong(line.split("\\s+")[1]);
                        if (line.startsWith("Threads:")) threads = Long.parseLong(line.split("\\s+")[1]);
                    }
                    if (owner == uid) tasks += threads;
                } catch (IOException | RuntimeException ignored) {
                    // the process ended while we looked
                }
            }
        } catch (IOException ignored) {
            // no /proc: nothing counted
        }
        return tasks;
    }

    /** Whether the pid still names the same process that started at {@code startTicks}. */
    public static boolean isSame(long pid, long startTicks) {
        OptionalLong now = startTicks(pid);
        return now.isPresent() && now.getAsLong() == startTicks;
    }
}
