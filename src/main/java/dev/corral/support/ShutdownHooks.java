package dev.corral.support;

/** Shutdown hooks that tidy up after a run, removed again once the run has tidied up itself. */
public final class ShutdownHooks {
    private ShutdownHooks() {
    }

    /** Runs {@code task} if the JVM is stopped (Ctrl-C, {@code corral stop}); the hook, to remove later. */
    public static Thread add(Runnable task, String name) {
        Thread hook = new Thread(task, name);
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    public static void remove(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // the JVM is shutting down; the hook runs anyway
        }
    }
}
