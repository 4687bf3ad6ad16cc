package dev.corral.sandbox;

import java.util.List;

/**
 * What to run inside a sandbox.
 *
 * @param argv        the program and its arguments; empty means the interactive login shell
 * @param interactive whether the sandbox gets a terminal of its own (the caller's is attached, or it runs detached)
 * @param console     for a detached sandbox: where its terminal is kept for {@code corral attach} and {@code logs}
 */
public record Command(List<String> argv, boolean interactive, java.util.Optional<Console> console) {
    public Command {
        argv = List.copyOf(argv);
        if (console.isPresent() && !interactive) throw new IllegalArgumentException("a detached sandbox always has a terminal");
    }

    public Command(List<String> argv, boolean interactive) {
        this(argv, interactive, java.util.Optional.empty());
    }

    /**
     * The terminal of a detached sandbox, kept by its supervisor.
     *
     * @param socket where {@code corral attach} connects
     * @param log    everything the sandbox wrote to its terminal
     */
    public record Console(java.nio.file.Path socket, java.nio.file.Path log) {
    }

    public boolean isLoginShell() {
        return argv.isEmpty();
    }

    /** What runs: the arguments, or an interactive login shell when there are none. */
    public List<String> program() {
        return isLoginShell() ? List.of("/bin/bash", "-l") : argv;
    }
}
