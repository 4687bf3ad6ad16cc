package dev.corral.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A process on the host that runs while a test attacks a sandbox (a socket server, a process
 * holding a secret open), and is killed with everything it started when the test ends.
 */
final class HostProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    private final Process process;

    private HostProcess(Process process) {
        this.process = process;
    }

    /** Starts the command as the test's own user, without input or output. */
    static HostProcess start(String... command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(List.of(command))
                    .redirectInput(new File("/dev/null"))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            return new HostProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long pid() {
        return process.pid();
    }

    /** Waits until a Unix socket bound to the path, or to {@code @name} in the abstract namespace, listens. */
    HostProcess awaitListening(String socketName) {
        return await(() -> readProcNetUnix().lines().anyMatch(line -> line.endsWith(" " + socketName)), "a socket " + socketName);
    }

    /** Waits until the process's command line contains the text (e.g. once its shell exec'd the real command). */
    HostProcess awaitCommandLine(String text) {
        Path cmdline = Path.of("/proc", Long.toString(process.pid()), "cmdline");
        return await(() -> {
            try {
                return Files.readString(cmdline).replace('\0', ' ').contains(text);
            } catch (IOException e) {
                return false;
            }
        }, "its command line to show " + text);
    }

    private HostProcess await(BooleanSupplier ready, String what) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) throw new IllegalStateException("host process exited (" + process.exitValue() + ") before " + what);
            if (System.nanoTime() > deadline) throw new IllegalStateException("timed out waiting for " + what);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return this;
    }

    private static String readProcNetUnix() {
        try {
            return Files.readString(Path.of("/proc/net/unix"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
