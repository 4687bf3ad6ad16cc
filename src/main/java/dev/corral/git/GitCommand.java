package dev.corral.git;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Git command lines the supervisor runs on a workspace the sandbox could have changed: hooks,
 * fsmonitor, pagers and optional locks off, system and global settings not read.
 */
final class GitCommand {
    private GitCommand() {
    }

    static List<String> safe(Path workspace, String... args) {
        List<String> argv = new ArrayList<>(List.of("git", "-c", "safe.directory=*", "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false",
                "-c", "core.untrackedCache=false", "--no-pager", "--no-optional-locks", "-C", workspace.toString()));
        argv.addAll(List.of(args));
        return argv;
    }

    /** Keeps the system's and the user's git settings out of the supervisor's git. */
    static void isolate(java.util.Map<String, String> env) {
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.remove("GIT_DIR");
        env.remove("GIT_WORK_TREE");
    }
}
