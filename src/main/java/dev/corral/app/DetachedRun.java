package dev.corral.app;

import dev.corral.host.Executables;
import dev.corral.sandbox.SandboxException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code corral run -d}: the same run, by a supervisor of its own in the background. The command
 * starts Corral again (the same JVM and options, read from {@code /proc/self/cmdline}) in a new
 * session, so closing the user's terminal sends it no hang-up, with no terminal of the user's; the
 * supervisor reports on one pipe, whose lines are relayed until it says the sandbox is up. Then it
 * stops using the pipe (its later messages go to its log) and this process returns. A supervisor
 * that fails before that gives its error and exit status to this process, so {@code run -d} fails
 * the same way {@code run} would.
 */
public final class DetachedRun {
    /** The line the supervisor writes once the sandbox is up. */
    static final String READY = "corral-detached-supervisor-ready";
    /**
     * A supervisor lives as long as its sandbox and fifty may run at once, so its JVM keeps memory
     * small once it is up: a young generation of a few MiB (the default, sized from the machine's
     * memory, leaves the pages of a start-up's garbage resident) and the C heap given back to the
     * system regularly. Neither affects the start-up cache.
     */
    static final List<String> SUPERVISOR_JVM_OPTIONS = List.of("-Xmn4m", "-XX:TrimNativeHeapInterval=10000");
    /** The option that tells a {@code run} it is the detached supervisor, not the user's command. */
    public static final String SUPERVISOR_OPTION = "--supervise-detached";

    private DetachedRun() {
    }

    /** How the start went: the supervisor's exit status if it gave up, 0 and the sandbox's name if it runs. */
    public record Started(int status, String sandboxName) {
    }

    /**
     * Starts the supervisor and waits until the sandbox is up or the supervisor gave up.
     *
     * @param runArgs the arguments of the user's {@code run}, as typed
     * @param relay   gets each line the supervisor printed before the sandbox was up
     * @return the sandbox's name once it runs; otherwise the supervisor's exit status
     */
    public static Started start(List<String> runArgs, Consumer<String> relay) {
        // setsid: a session of its own, apart from the user's terminal; the shell stays its leader so
        // that the supervisor, not being one, never takes the sandbox's terminal as its own
        // controlling terminal when it opens it (the sandbox's first process must be able to)
        List<String> argv = new ArrayList<>(List.of(Executables.require("setsid", "util-linux").toString(), "--wait",
                "/bin/sh", "-c", "\"$@\"; exit $?", "corral-supervisor"));
        List<String> jvm = ownJvm();
        argv.add(jvm.getFirst());
        argv.addAll(SUPERVISOR_JVM_OPTIONS);
        argv.addAll(jvm.subList(1, jvm.size()));
        argv.add("run");
        argv.add(SUPERVISOR_OPTION);
        argv.addAll(runArgs);
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().put("MALLOC_ARENA_MAX", "2"); // a supervisor has few threads: fewer malloc arenas, less memory
        Process supervisor;
        try {
            supervisor = builder.start();
        } catch (IOException e) {
            throw new SandboxException("cannot start the sandbox's supervisor: " + e.getMessage(), "check that " + argv.get(6) + " runs");
        }
        Thread abandon = new Thread(supervisor::destroy, "corral-abandon-supervisor"); // Ctrl-C before it is up ends it too
        Runtime.getRuntime().addShutdownHook(abandon);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(supervisor.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith(READY + " ")) {
                    Runtime.getRuntime().removeShutdownHook(abandon);
                    return new Started(0, line.substring(READY.length() + 1));
                }
                relay.accept(line);
            }
            Runtime.getRuntime().removeShutdownHook(abandon);
            int status = supervisor.waitFor();
            return new Started(status == 0 ? 125 : status, null);
        } catch (IOException e) {
            throw new SandboxException("lost the sandbox's supervisor while it started: " + e.getMessage(), "see corral logs, or run it again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Started(130, null);
        }
    }

    /**
     * Called by the supervisor once the sandbox is up: tells {@link #start} so, and from then on
     * writes what it would have printed to {@code log} (the pipe's reader is gone).
     */
    public static void ready(String sandboxName, Path log) {
        System.out.println(READY + " " + sandboxName);
        System.out.flush();
        PrintStream toLog;
        try {
            OutputStream file = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            toLog = new PrintStream(file, true, StandardCharsets.UTF_8);
        } catch (IOException e) {
            toLog = new PrintStream(OutputStream.nullOutputStream());
        }
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        System.setErr(toLog);
    }

    /** This JVM's command line up to the jar (or main class): the same Java, options and start-up cache. */
    static List<String> ownJvm() {
        List<String> words;
        try {
            words = List.of(new String(Files.readAllBytes(Path.of("/proc/self/cmdline")), StandardCharsets.UTF_8).split("\0"));
        } catch (IOException e) {
            throw new SandboxException("cannot read this process's command line: " + e.getMessage(), "check that /proc is mounted");
        }
        return jvmPart(words);
    }

    static List<String> jvmPart(List<String> words) {
        int jar = words.indexOf("-jar");
        if (jar >= 0 && jar + 1 < words.size()) return List.copyOf(words.subList(0, jar + 2));
        int main = words.indexOf("dev.corral.cli.Main");
        if (main >= 0) return List.copyOf(words.subList(0, main + 1));
        throw new SandboxException("cannot tell how this Corral was started (no -jar in its command line)",
                "start Corral with bin/corral or java -jar corral.jar to use -d");
    }
}
