package dev.corral.image;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/** Runs a long host program (a root filesystem builder) and hands on what it prints; tests put a fake in its place. */
@FunctionalInterface
interface ProgramRunner {
    /** Runs {@code argv} with no input, its output and errors line by line to {@code output}; its exit status. */
    int run(List<String> argv, Consumer<String> output) throws IOException;

    /** The real runner: the program gets Corral's environment and is killed if Corral is interrupted. */
    static ProgramRunner system() {
        return (argv, output) -> {
            Process process = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (!line.isBlank()) output.accept(line.stripTrailing());
                }
                return process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while " + argv.getFirst() + " ran", e);
            } finally {
                if (process.isAlive()) process.destroyForcibly();
            }
        };
    }
}
