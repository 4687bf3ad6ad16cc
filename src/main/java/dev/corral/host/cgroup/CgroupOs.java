package dev.corral.host.cgroup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The operating-system calls the cgroup layer makes. {@link LinuxCgroupOs} makes them for real;
 * tests substitute a fake cgroup tree in a temporary directory.
 */
interface CgroupOs {

    boolean exists(Path path);

    String read(Path file) throws IOException;

    /** Writes into an existing control file; never creates one. */
    void write(Path file, String value) throws IOException;

    /** Creates one directory; fails if it already exists. */
    void createDirectory(Path dir) throws IOException;

    void removeDirectory(Path dir) throws IOException;

    /** How long ago the directory was created or last changed; 0 where that is unknown. */
    default long ageMillis(Path dir) {
        return 0;
    }

    List<Path> subdirectories(Path dir) throws IOException;

    int ownerUid(Path path) throws IOException;

    /** Sends SIGKILL; a process that is already gone, or this very process, is left alone. */
    void kill(long pid);

    /** Whether an executable of this name is on the PATH. */
    boolean hasCommand(String name);

    /** Runs a short helper command with its output discarded: its exit status, or -1 if it failed to run in time. */
    int run(List<String> argv);
}
