package dev.corral.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The object folders a repository reads: its own {@code objects} and, as git follows them, the
 * folders its {@code objects/info/alternates} names, and theirs in turn. A sandbox's checkout borrows
 * them all, so the sandbox must see them all (read-only); real paths, so a mount lands where git looks.
 */
final class ObjectDirectories {
    /** git follows alternates this deep. */
    private static final int MAX_DEPTH = 5;

    private ObjectDirectories() {
    }

    /** The chain from {@code commonDir/objects}: real paths of existing folders, in the order git reads them. */
    static List<Path> of(Path commonDir) {
        Set<Path> found = new LinkedHashSet<>();
        collect(commonDir.resolve("objects"), found, 0);
        return List.copyOf(found);
    }

    private static void collect(Path objects, Set<Path> found, int depth) {
        Path real;
        try {
            real = objects.toRealPath();
        } catch (IOException e) {
            return;
        }
        if (!Files.isDirectory(real) || !found.add(real) || depth >= MAX_DEPTH) return;
        for (String entry : entries(real.resolve("info/alternates"))) {
            Path alternate = Path.of(entry);
            collect(alternate.isAbsolute() ? alternate : real.resolve(alternate).normalize(), found, depth + 1);
        }
    }

    /** The alternates file's paths: one a line, {@code #} comments, C-quoted when in double quotes. */
    static List<String> entries(Path file) {
        List<String> entries = new ArrayList<>();
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return entries;
        String text;
        try {
            if (Files.size(file) > 1 << 20) return entries;
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return entries;
        }
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            entries.add(line.startsWith("\"") ? unquote(line) : line);
        }
        return entries;
    }

    private static String unquote(String quoted) {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < quoted.length(); i++) {
            char c = quoted.charAt(i);
            if (c == '"') break;
            if (c != '\\' || i + 1 >= quoted.length()) {
                out.append(c);
                continue;
            }
            char next = quoted.charAt(++i);
            switch (next) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'r' -> out.append('\r');
                case 'v' -> out.append('\u000b');
                default -> {
                    if (next >= '0' && next <= '3' && i + 2 < quoted.length()) {
                        out.append((char) Integer.parseInt(quoted.substring(i, i + 3), 8));
                        i += 2;
                    } else {
                        out.append(next);
                    }
                }
            }
        }
        return out.toString();
    }

    /** The file git reads: one absolute path a line. */
    static String alternatesFile(List<Path> directories) {
        StringBuilder out = new StringBuilder();
        for (Path dir : directories) {
            String path = dir.toString();
            if (path.contains("\n") || path.startsWith("\"") || path.startsWith("#")) {
                throw new GitException("cannot name the object folder " + GitException.printable(path) + " in an alternates file", null);
            }
            out.append(path).append('\n');
        }
        return out.toString();
    }
}
