package dev.corral.host.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code cgroup.procs} files of the cgroups a process is in, from {@code /proc/PID/cgroup}: how
 * Corral finds a container's cgroups (which its engine made) to show what the sandbox uses.
 */
public final class ProcessCgroups {
    private static final Path ROOT = Path.of("/sys/fs/cgroup");

    private ProcessCgroups() {
    }

    /** The files that exist; empty when the process is gone or in another machine's kernel. */
    public static List<Path> procsFiles(long pid) {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"));
        } catch (IOException e) {
            return List.of();
        }
        return procsFiles(lines, ROOT);
    }

    /** @param lines {@code /proc/PID/cgroup}: {@code ID:CONTROLLERS:PATH}, v2's with no controllers */
    static List<Path> procsFiles(List<String> lines, Path root) {
        List<Path> files = new ArrayList<>();
        for (String line : lines) {
            String[] parts = line.split(":", 3);
            if (parts.length != 3 || !parts[2].startsWith("/") || List.of(parts[2].split("/")).contains("..")) continue;
            String relative = parts[2].substring(1);
            List<Path> mounts = parts[1].isEmpty() ? List.of(root, root.resolve("unified"))
                    : List.of(root.resolve(parts[1].replace("name=", "")));
            for (Path mount : mounts) {
                Path procs = mount.resolve(relative).resolve("cgroup.procs");
                if (Files.isRegularFile(procs)) {
                    files.add(procs);
                    break;
                }
            }
        }
        return files;
    }
}
