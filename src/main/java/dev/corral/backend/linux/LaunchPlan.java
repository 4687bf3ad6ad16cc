package dev.corral.backend.linux;

import java.nio.file.Path;
import java.util.List;

/**
 * A compiled sandbox launch: bubblewrap's arguments (read from a file descriptor, so neither the
 * environment nor the command shows in the host's process list), the seccomp program, and the
 * empty mount points bubblewrap will create in the workspace and Corral removes afterwards.
 *
 * @param options          bubblewrap's options, passed on {@link #ARGS_FD}
 * @param command          the command bubblewrap runs inside, passed on its command line
 * @param temporaryPaths   mount points Corral or bubblewrap create in the workspace for the run
 */
public record LaunchPlan(List<String> options, List<String> command, byte[] seccomp, List<Path> temporaryPaths) {
    /** bubblewrap reads the seccomp program from this descriptor. */
    public static final int SECCOMP_FD = 3;
    /** bubblewrap writes its JSON status (child pid, exit code) to this descriptor. */
    public static final int STATUS_FD = 4;
    /** bubblewrap reads its NUL-separated arguments from this descriptor. */
    public static final int ARGS_FD = 5;

    public LaunchPlan {
        options = List.copyOf(options);
        command = List.copyOf(command);
        temporaryPaths = List.copyOf(temporaryPaths);
    }
}
