package dev.corral.backend.linux;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * The mount points created in the workspace for a run: empty directories bubblewrap makes for
 * {@link Protection.Kind#EMPTY}, and {@link Protection.Kind#PLACEHOLDER} files Corral writes.
 * Removed afterwards, but only while they still are what was created.
 */
public final class MountPoints {
    private MountPoints() {
    }

    /** Creates a placeholder file; fails if something is there already. */
    static void createPlaceholder(Path file, String content) throws IOException {
        Files.writeString(file, content, java.nio.file.StandardOpenOption.CREATE_NEW);
    }

    private static boolean isPlaceholder(String content) {
        return content.isEmpty() || content.equals(Protection.PLACEHOLDER_CONTENT);
    }

    public static void removeCreated(List<Path> paths) {
        for (Path path : paths.reversed()) {
            try {
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(path);
                } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) && isPlaceholder(Files.readString(path))) {
                    Files.delete(path);
                }
            } catch (DirectoryNotEmptyException ignored) {
                // someone put something there outside the sandbox: keep it
            } catch (IOException ignored) {
                // gone already, or not ours to remove
            }
        }
    }
}
