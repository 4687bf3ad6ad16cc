package dev.corral.backend.docker;

import dev.corral.backend.docker.engine.Engine;
import dev.corral.backend.linux.MountPoints;

import java.nio.file.Path;
import java.util.List;

/**
 * Ends a container's run once, whoever gets there first: the run when the container exited, or
 * the shutdown hook when the supervisor is stopped ({@code corral stop}, Ctrl-C), whose JVM halts
 * without finishing the run. Synchronized, so the second caller returns only once it is all done.
 */
final class ContainerTeardown implements Runnable {
    private final Engine engine;
    private final String id;
    private final List<Path> temporaryPaths;
    private final Runnable afterwards;
    private boolean done;

    /** @param afterwards what must look at the workspace once the container is gone */
    ContainerTeardown(Engine engine, String id, List<Path> temporaryPaths, Runnable afterwards) {
        this.engine = engine;
        this.id = id;
        this.temporaryPaths = temporaryPaths;
        this.afterwards = afterwards;
    }

    @Override
    public synchronized void run() {
        if (done) return;
        done = true;
        try {
            engine.removeContainer(id);
        } finally {
            MountPoints.removeCreated(temporaryPaths);
            afterwards.run();
        }
    }
}
