package dev.corral.backend.docker;

import dev.corral.backend.docker.engine.EngineAddress;
import dev.corral.host.Executables;
import dev.corral.host.HostException;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Nothing outlives its supervisor: a native sandbox dies with it, a container would not. A small
 * process of the host's, in a session of its own (a closed terminal doesn't end it), waits on a
 * pipe that only the supervisor writes; when the supervisor ends, however it ends, the pipe
 * closes and the watchdog tells the engine to remove the container. It lives outside the
 * container, where the sandbox can't reach it.
 */
final class ContainerWatchdog implements AutoCloseable {
    /** A fixed script; the container's id, socat and the engine's socket come in as arguments. */
    static final String SCRIPT = """
            read -r _
            printf 'DELETE /containers/%s?force=1 HTTP/1.1\\r\\nHost: docker\\r\\nConnection: close\\r\\n\\r\\n' "$1" \\
              | "$2" -t 30 - UNIX-CONNECT:"$3" >/dev/null 2>&1
            """;
    private final Process process;

    private ContainerWatchdog(Process process) {
        this.process = process;
    }

    static ContainerWatchdog start(EngineAddress engine, String containerId) {
        Path setsid = Executables.require("setsid", "util-linux");
        Path socat = Executables.require("socat", "socat");
        try {
            Process process = new ProcessBuilder(setsid.toString(), "/bin/sh", "-c", SCRIPT, "corral-watchdog", containerId, socat.toString(),
                    engine.socket().toString())
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return new ContainerWatchdog(process);
        } catch (IOException e) {
            throw new HostException("cannot start the container's watchdog: " + e.getMessage(), "check that setsid and socat are installed");
        }
    }

    /** The run ended the container itself: the watchdog goes without a word to the engine. */
    @Override
    public void close() {
        process.destroy();
    }
}
