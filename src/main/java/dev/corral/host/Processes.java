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

    /** Whether the pid still names the same process that started at {@code startTicks}. */
    public static boolean isSame(long pid, long startTicks) {
        OptionalLong now = startTicks(pid);
        return now.isPresent() && now.getAsLong() == startTicks;
    }
}
