package dev.corral.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether Corral's own standard streams are terminals, read cheaply from /proc. */
public final class StandardStreams {
    private StandardStreams() {
    }

    public static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
