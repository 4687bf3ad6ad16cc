package dev.corral.host;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A named pipe this process holds open for as long as it lives: whoever reads it (a watchdog in a
 * container) sees end-of-file the moment the process is gone, however it died.
 */
public final class LifelinePipe implements AutoCloseable {
    private final Path path;
    private final int fd;

    private LifelinePipe(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Creates the pipe at {@code path} (readable by anyone who can reach it) and holds it open. */
    public static LifelinePipe create(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (java.io.IOException e) {
            throw new HostException("cannot replace " + path + ": " + e.getMessage(), "check that it is writable");
        }
        if (Libc.mkfifo(path.toString(), 0644) != 0) throw Libc.failure("cannot create the pipe " + path, "check that its folder is writable");
        // read-write: opening never blocks, and the pipe has a writer from this moment until the process ends
        int fd = Libc.open(path.toString(), Libc.O_RDWR | Libc.O_CLOEXEC);
        if (fd < 0) throw Libc.failure("cannot open the pipe " + path, null);
        return new LifelinePipe(path, fd);
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        Libc.close(fd);
        try {
            Files.deleteIfExists(path);
        } catch (java.io.IOException ignored) {
            // goes with the runtime folder
        }
    }
}
