package dev.corral.host.cgroup;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Removes the cgroups of runs whose supervisor was killed before it could clean up (SIGKILL gives
 * it no chance). Only empty cgroups older than a minute go: the kernel refuses to remove one that
 * still has processes, and the age keeps a run that is just starting safe.
 */
final class StaleCgroups {
    static final long MIN_AGE_MILLIS = 60_000;

    private StaleCgroups() {
    }

    static void sweep(CgroupOs os, Path parent) {
        try {
            for (Path dir : os.subdirectories(parent)) {
                if (os.ageMillis(dir) < MIN_AGE_MILLIS) continue;
                try {
                    if (os.exists(dir.resolve("cgroup.procs")) && !os.read(dir.resolve("cgroup.procs")).isBlank()) continue;
                    os.removeDirectory(dir);
                } catch (IOException ignored) {
                    // busy or already gone: someone else's
                }
            }
        } catch (IOException ignored) {
            // nothing to sweep
        }
    }
}
