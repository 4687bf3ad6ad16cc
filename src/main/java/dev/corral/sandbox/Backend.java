package dev.corral.sandbox;

import java.nio.file.Path;
import java.util.List;

/**
 * Turns a {@link SandboxSpec} into a running sandbox. Implementations compile the spec into a
 * launch plan (pure, testable) and then execute it.
 */
public interface Backend {

    /** Starts reading what every launch needs from the host, ahead of the launch; optional. */
    default void prefetch() {
    }

    /** Runs the command in a fresh instance of the sandbox and returns its exit status. */
    int run(Launch launch);

    /**
     * Removes what the backend keeps for a sandbox outside Corral's folders (a container engine's
     * volumes); what it can't remove is said in {@code notices}. Optional.
     */
    default void remove(SandboxSpec spec, java.util.function.Consumer<String> notices) {
    }

    /** Runs the command inside the already running sandbox and returns its exit status. */
    int exec(Launch launch, RuntimeState.Supervisor running);

    /** What the backend reports while it runs a sandbox. */
    interface Listener {
        /** The sandbox's init process is up. */
        void started(Started started);

        /** A one-line message for the user, e.g. that a limit was hit. */
        void notice(String line);

        /** A listener that keeps everything to itself (an exec's: the sandbox's own run reports). */
        Listener SILENT = new Listener() {
            @Override
            public void started(Started started) {
            }

            @Override
            public void notice(String line) {
            }
        };

        /** A listener that only passes notices on (an install's). */
        static Listener notices(java.util.function.Consumer<String> sink) {
            return new Listener() {
                @Override
                public void started(Started started) {
                }

                @Override
                public void notice(String line) {
                    sink.accept(line);
                }
            };
        }
    }

    /**
     * A sandbox that is up.
     *
     * @param initPid        host pid of the sandbox's init process
     * @param initStartTicks its start time, to tell it from a recycled pid later
     * @param cgroupProcs    cgroup.procs files that processes joining the sandbox write themselves into
     */
    record Started(long initPid, long initStartTicks, List<String> cgroupProcs) {
    }

    /**
     * One launch of a sandbox.
     *
     * @param home       the sandbox's private home on the host
     * @param runtimeDir a private folder for this sandbox's runtime files
     * @param network    the proxy to mount and forward to, and the environment that goes with it
     * @param agent      the agent's install, login folders and environment ({@link AgentSetup#NONE} for a shell)
     */
    record Launch(SandboxSpec spec, Command command, Path home, Path runtimeDir, Listener listener, NetworkAccess network,
                  AgentSetup agent) {
        public Launch(SandboxSpec spec, Command command, Path home, Path runtimeDir, Listener listener, NetworkAccess network) {
            this(spec, command, home, runtimeDir, listener, network, AgentSetup.NONE);
        }

        /**
         * What the launch adds to the sandbox's basic environment: the agent's, then the network's
         * (a profile can't change where the proxy is or what is trusted); {@code -e} still wins over both.
         */
        public java.util.Map<String, String> addedEnvironment() {
            java.util.Map<String, String> added = new java.util.LinkedHashMap<>(agent.environment());
            added.putAll(network.environment());
            return added;
        }
    }
}
