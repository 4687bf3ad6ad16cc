package dev.corral.backend.linux;

import dev.corral.host.SandboxProcess;
import dev.corral.host.cgroup.Confinement;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ends a launch, once, from whichever path gets there first: the normal end of the run, or the
 * shutdown hook when the supervisor is told to stop (corral stop sends SIGTERM). Kills the
 * sandbox, waits for it, empties and removes its cgroup, restores the terminal and removes the
 * mount points created in the workspace (no other sandbox can have them mounted: only one runs on
 * a workspace at a time).
 */
final class Teardown implements Runnable {
    private final AtomicBoolean done = new AtomicBoolean();
    private final SandboxProcess process;
    private final Confinement confinement;
    private final Terminal terminal;
    private final List<Path> temporaryPaths;
    private final Runnable afterwards;

    /** @param afterwards what must look at the workspace once the sandbox is gone */
    Teardown(SandboxProcess process, Confinement confinement, Terminal terminal, List<Path> temporaryPaths,
             Runnable afterwards) {
        this.process = process;
        this.confinement = confinement;
        this.terminal = terminal;
        this.temporaryPaths = temporaryPaths;
        this.afterwards = afterwards;
    }

    /**
     * Synchronized: a second caller returns only once the first has finished, so the run's lock
     * (released when the run returns) is never let go while the workspace is still being tidied.
     */
    @Override
    public synchronized void run() {
        if (!done.compareAndSet(false, true)) return;
        process.kill();
        process.waitFor();
        confinement.close();
        terminal.close();
        MountPoints.removeCreated(temporaryPaths);
        afterwards.run();
    }
}
