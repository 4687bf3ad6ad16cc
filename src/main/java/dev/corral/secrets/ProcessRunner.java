package dev.corral.secrets;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs a helper program ({@code secret-tool}) with bytes on its stdin; tests put a fake in its place. */
@FunctionalInterface
interface ProcessRunner {
    /** How the program ended; {@code stdout} may hold a secret value, {@code stderr} never does. */
    record Result(int exit, byte[] stdout, String stderr) {
        @Override
        public String toString() {
            return "Result[exit=" + exit + ", stdout=(" + stdout.length + " bytes), stderr=" + stderr + "]";
        }
    }

    /** Throws {@link IOException} if the program can't be started or doesn't end in time. */
    Result run(List<String> argv, byte[] stdin) throws IOException;

    /**
     * The real runner: the program gets Corral's environment, with {@code DBUS_SESSION_BUS_ADDRESS}
     * taken from {@code env}; it is killed after {@code timeout} (a locked keyring may be waiting
     * for the user to unlock it).
     */
    static ProcessRunner system(Map<String, String> env, Duration timeout) {
        return (argv, stdin) -> {
            ProcessBuilder builder = new ProcessBuilder(argv);
            String bus = env.get("DBUS_SESSION_BUS_ADDRESS");
            if (bus != null) builder.environment().put("DBUS_SESSION_BUS_ADDRESS", bus);
            Process process = builder.start();
            CompletableFuture<byte[]> out = drain(process.getInputStream());
            CompletableFuture<byte[]> err = drain(process.getErrorStream());
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin);
            } catch (IOException closedEarly) {
                // the program did not read its input; its exit status tells
            }
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new IOException(argv.getFirst() + " did not finish within " + timeout.toSeconds() + " s");
                }
                return new Result(process.exitValue(), out.get(5, TimeUnit.SECONDS),
                        new String(err.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + argv.getFirst(), e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("cannot read the output of " + argv.getFirst(), e);
            }
        };
    }

    private static CompletableFuture<byte[]> drain(InputStream stream) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (stream) {
                result.complete(stream.readAllBytes());
            } catch (IOException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }
}
