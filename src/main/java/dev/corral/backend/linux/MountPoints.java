package dev.corral.backend.linux;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Removes the empty mount points bubblewrap had to create in the workspace, once it is done. */
final class MountPoints {
    private MountPoints() {
    }

    static void removeIfEmpty(List<Path> paths) {
        for (Path path : paths.reversed()) {
            try {
                Files.deleteIfExists(path);
            } catch (DirectoryNotEmptyException ignored) {
                // someone put something there outside the sandbox: keep it
            } catch (IOException ignored) {
                // still mounted in another running sandbox of this workspace, or gone
            }
        }
    }
}
