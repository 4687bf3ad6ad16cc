package dev.corral.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The mounts this process sees ({@code /proc/self/mountinfo}). */
public final class MountTable {
    private MountTable() {
    }

    /** The mount points strictly below {@code dir}, as the kernel names them. */
    public static List<Path> mountsUnder(Path dir) {
        try {
            return mountsUnder(dir, Files.readAllLines(Path.of("/proc/self/mountinfo")));
        } catch (IOException e) {
            throw new HostException("cannot read the mount table: " + e.getMessage(), "check that /proc is mounted");
        }
    }

    static List<Path> mountsUnder(Path dir, List<String> mountinfo) {
        List<Path> under = new ArrayList<>();
        for (String line : mountinfo) {
            String[] fields = line.split(" ");
            if (fields.length < 5) continue;
            Path point = Path.of(unescape(fields[4]));
            if (point.startsWith(dir) && !point.equals(dir)) under.add(point);
        }
        return under;
    }

    /** The kernel writes space, tab, newline and backslash in a path as octal escapes. */
    public static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
