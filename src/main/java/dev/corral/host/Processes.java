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

    /**
     * How many tasks (processes and threads) the user runs right now: the owner of each /proc/PID
     * is one stat, and only the user's own processes are read for their thread count.
     */
    public static long tasksOf(long uid) {
        long tasks = 0;
        try (var dirs = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (name.isEmpty() || name.charAt(0) < '1' || name.charAt(0) > '9') continue;
                try {
                    if (((Integer) Files.getAttribute(dir, "unix:uid")) != uid) continue;
                    String stat = Files.readString(dir.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    tasks += Long.parseLong(fields[17]);
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
