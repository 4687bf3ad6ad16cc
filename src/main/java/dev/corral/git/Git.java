package dev.corral.git;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs git commands and keeps what they printed, errors included: a failing command becomes a
 * {@link GitException} with git's own reason. Reads both outputs on their own threads, so a command
 * that hangs (on a FIFO in the sandbox's files, say) is killed at its deadline, with anything it started.
 */
final class Git {
    private static final int MAX_ERROR_BYTES = 64 * 1024;

    /** How a command ended; {@code stdout} is empty when it was streamed elsewhere. */
    record Result(int exit, String stdout, String stderr) {
        /** The exit status of a command stopped because its watcher said so. */
        static final int ABANDONED = -1;

        boolean ok() {
            return exit == 0;
        }

        /** git's reason: its first {@code fatal:} or {@code error:} line, or else its first line. */
        String reason() {
            String first = null;
            for (String line : stderr.split("\n")) {
                String stripped = line.strip();
                if (stripped.isEmpty() || stripped.startsWith("hint:")) continue;
                for (String prefix : List.of("fatal: ", "error: ")) {
                    if (stripped.startsWith(prefix)) return GitException.printable(stripped.substring(prefix.length()));
                }
                if (first == null) first = stripped;
            }
            return first == null ? "exit status " + exit : GitException.printable(first);
        }

        /** The {@code error:} lines, each printable: what {@code --ignore-errors} went past. */
        List<String> errors() {
            List<String> errors = new ArrayList<>();
            for (String line : stderr.split("\n")) {
                if (line.startsWith("error: ")) errors.add(GitException.printable(line.substring("error: ".length())));
            }
            return errors;
        }

        /** The tab-indented lines git uses to list paths in a message. */
        List<String> listedPaths() {
            List<String> paths = new ArrayList<>();
            for (String line : stderr.split("\n")) {
                if (line.startsWith("\t")) paths.add(line.strip());
            }
            return paths;
        }
    }

    private final Map<String, String> host;
    private final String executable;

    /** @param host the environment git starts from (the user's; tests pass their own); its PATH finds git */
    Git(Map<String, String> host) {
        this.host = Map.copyOf(host);
        this.executable = find(host.getOrDefault("PATH", "/usr/bin:/bin"));
    }

    private static String find(String path) {
        for (String dir : path.split(":")) {
            if (!dir.startsWith("/")) continue;
            File candidate = new File(dir, "git");
            if (candidate.isFile() && candidate.canExecute()) return candidate.getPath();
        }
        return null;
    }

    /** Runs the command to its end; a {@link GitException} only when git could not run or took too long. */
    Result run(GitCommand command) {
        if (executable == null) {
            throw new GitException("git is not installed (not found on PATH)", "install git (e.g. apt-get install git), or run without --branch");
        }
        List<String> argv = new ArrayList<>(command.argv());
        argv.set(0, executable);
        ProcessBuilder builder = new ProcessBuilder(argv).directory(command.directory().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(command.environment(host));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            if (!new File(command.directory().toString()).isDirectory()) {
                throw new GitException("cannot run git in " + command.directory() + ": the folder is missing", null, e);
            }
            throw new GitException("git is not installed (" + e.getMessage() + ")",
                    "install git (e.g. apt-get install git), or run without --branch", e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        OutputStream target = command.stdout() == null ? out : command.stdout();
        Drain outDrain = new Drain(process.getInputStream(), target, Long.MAX_VALUE);
        Thread outReader = Thread.ofVirtual().start(outDrain);
        Thread errReader = Thread.ofVirtual().start(new Drain(process.getErrorStream(), err, MAX_ERROR_BYTES));
        try {
            long deadline = System.nanoTime() + command.timeout().toNanos();
            if (command.watchAfter() != null && !process.waitFor(command.watchAfter().toMillis(), TimeUnit.MILLISECONDS)) {
                boolean abandon;
                try {
                    abandon = command.abandon().getAsBoolean();
                } catch (RuntimeException e) {
                    stop(process, outReader, errReader);
                    throw e;
                }
                if (abandon && process.isAlive()) {
                    stop(process, outReader, errReader);
                    return new Result(Result.ABANDONED, "", err.toString(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                stop(process, outReader, errReader);
                throw new GitException("git " + subcommand(argv) + " did not finish within " + command.timeout().toSeconds() + " s and was stopped",
                        "look for special files (FIFOs, devices) or very large files in the sandbox's checkout");
            }
            outReader.join();
            errReader.join();
            if (outDrain.failure != null) {
                throw new GitException("could not pass on the output of git " + subcommand(argv) + ": " + outDrain.failure.getMessage(), null, outDrain.failure);
            }
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new GitException("interrupted while git " + subcommand(argv) + " ran", null, e);
        }
        return new Result(process.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Stops git politely first (it then removes its lock files), forcibly if it doesn't go. */
    private static void stop(Process process, Thread... readers) throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(2, TimeUnit.SECONDS)) {
            children.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor();
        }
        for (Thread reader : readers) reader.join(1000);
    }

    /** Runs the command and returns its output; a {@link GitException} with git's reason when it fails. */
    String output(GitCommand command, String doing) {
        return checked(command, doing, null).stdout();
    }

    Result checked(GitCommand command, String doing, String fix) {
        Result result = run(command);
        if (!result.ok()) throw new GitException(doing + ": " + result.reason(), fix);
        return result;
    }

    /** The first line of the output, for commands that print one id or one path. */
    String line(GitCommand command, String doing) {
        String out = output(command, doing);
        int newline = out.indexOf('\n');
        return newline < 0 ? out : out.substring(0, newline);
    }

    /** Output split at NULs (for {@code -z}), without the empty end. */
    static List<String> fields(String output) {
        List<String> fields = new ArrayList<>();
        for (String field : output.split("\0")) {
            if (!field.isEmpty()) fields.add(field);
        }
        return fields;
    }

    private static String subcommand(List<String> argv) {
        for (int i = 1; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (arg.equals("-c")) {
                i++;
            } else if (!arg.startsWith("-")) {
                return arg;
            }
        }
        return "";
    }

    /**
     * Copies up to {@code limit} bytes and drains the rest, so the writer never blocks on a full
     * pipe; a failing target (a closed pager, say) is remembered and the rest drained too.
     */
    private static final class Drain implements Runnable {
        private final InputStream in;
        private final OutputStream out;
        private final long limit;
        private volatile IOException failure;

        Drain(InputStream in, OutputStream out, long limit) {
            this.in = in;
            this.out = out;
            this.limit = limit;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[16 * 1024];
            long copied = 0;
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    int keep = (int) Math.max(0, Math.min(n, limit - copied));
                    if (keep == 0 || failure != null) continue;
                    try {
                        out.write(buffer, 0, keep);
                        copied += keep;
                    } catch (IOException e) {
                        failure = e;
                    }
                }
            } catch (IOException e) {
                // the process was killed or closed its end: what was read stays
            }
        }
    }
}
