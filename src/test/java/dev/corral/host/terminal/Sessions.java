package dev.corral.host.terminal;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts commands the way the supervisor starts a sandbox: stdin, stdout and stderr on a pty's slave,
 * opened by the child, in a session of its own that has the slave as its controlling terminal.
 */
final class Sessions {
    private Sessions() {
    }

    /** Runs {@code bash -c script} on {@code pty}. */
    static Process bash(Pty pty, String script) throws IOException {
        return start(pty, List.of("/bin/bash", "-c", script));
    }

    static Process start(Pty pty, List<String> command) throws IOException {
        List<String> argv = new ArrayList<>(List.of("/usr/bin/setsid", "--ctty", "--wait", "--"));
        argv.addAll(command);
        File slave = pty.slavePath().toFile();
        return new ProcessBuilder(argv).redirectInput(slave).redirectOutput(slave).redirectError(slave).start();
    }
}
