package dev.corral.sandbox;

import java.util.List;

/**
 * What to run inside a sandbox.
 *
 * @param argv        the program and its arguments; empty means the interactive login shell
 * @param interactive whether the caller's terminal is attached (a tty on stdin or stdout)
 */
public record Command(List<String> argv, boolean interactive) {
    public Command {
        argv = List.copyOf(argv);
    }

    public boolean isLoginShell() {
        return argv.isEmpty();
    }
}
