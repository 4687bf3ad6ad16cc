package dev.corral.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Runs a short helper program on the host (find, git, mknod…) and collects what it printed. */
public final class HostCommand {
    /** How a helper ended: its exit status and its standard output. */
    public record Output(int exit, String stdout) {
        public boolean ok() {
            return exit == 0;
        }
    }

    private HostCommand() {
    }

    public static Optional<Output> run(List<String> argv, Duration timeout) {
        return run(argv, env -> { }, timeout);
    }

    /**
     * Runs the program with no input and its errors discarded; empty if it could not start or did
     * not end in time (it is killed then).
     */
    public static Optional<Output> run(List<String> argv, Consumer<Map<String, String>> environment, Duration timeout) {
        try {
            ProcessBuilder builder = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD);
            environment.accept(builder.environment());
            Process process = builder.start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return Optional.of(new Output(process.exitValue(), out));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
