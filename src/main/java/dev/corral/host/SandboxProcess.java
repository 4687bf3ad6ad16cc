package dev.corral.host;

import dev.corral.support.Files2;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts bubblewrap for one sandbox and follows it. bubblewrap needs three open descriptors (the
 * seccomp program, its options, a status channel) and the process must join its cgroup before it
 * runs anything; the JDK's process API passes no descriptors, so a fixed {@code /bin/sh} script
 * (never built from input: everything variable is a positional argument) writes its own pid into
 * the cgroup, opens the descriptors and executes bubblewrap in its place, in a session of its own
 * so the user's terminal and its signals never reach the sandbox directly.
 */
public final class SandboxProcess {
    private static final String LAUNCH_SCRIPT = """
            seccomp=$1 status=$2 args=$3; shift 3
            while [ "$#" -gt 0 ] && [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done
            shift
            exec "$@" 3<"$seccomp" 4>"$status" 5<"$args"
            """;
    private static final Pattern CHILD_PID = Pattern.compile("\"child-pid\"\\s*:\\s*(\\d+)");

    private final Process process;
    private final Path statusFile;
    private final List<Path> launchFiles;

    private SandboxProcess(Process process, Path statusFile, List<Path> launchFiles) {
        this.process = process;
        this.statusFile = statusFile;
        this.launchFiles = launchFiles;
    }

    /**
     * What to start.
     *
     * @param workDir  a private folder for the launch files (removed once bubblewrap read them)
     * @param terminal the pseudo-terminal the sandbox gets as stdin, stdout and stderr, or null to
     *                 pass the caller's own descriptors
     */
    public record Request(Path bwrap, List<String> options, List<String> command, byte[] seccomp,
                          List<Path> cgroupProcsFiles, List<String> commandPrefix, Path workDir, Path terminal) {
    }

    public static SandboxProcess start(Request request) {
        Path setsid = Executables.require("setsid", "util-linux");
        String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Path seccomp = request.workDir().resolve("launch-" + id + ".bpf");
        Path args = request.workDir().resolve("launch-" + id + ".args");
        Path status = request.workDir().resolve("launch-" + id + ".status");
        try {
            Files2.createPrivateDirectories(request.workDir());
            writePrivate(seccomp, request.seccomp());
            writePrivate(args, nulSeparated(request.options()));
            writePrivate(status, new byte[0]);
        } catch (IOException e) {
            throw new HostException("cannot write the launch files in " + request.workDir() + ": " + e.getMessage(),
                    "check that " + request.workDir() + " is writable", e);
        }
        List<String> argv = new ArrayList<>(List.of(setsid.toString(), "--wait", "/bin/sh", "-c", LAUNCH_SCRIPT, "corral-launch",
                seccomp.toString(), status.toString(), args.toString()));
        request.cgroupProcsFiles().forEach(f -> argv.add(f.toString()));
        argv.add("--");
        argv.addAll(request.commandPrefix());
        argv.addAll(List.of(request.bwrap().toString(), "--args", "5", "--"));
        argv.addAll(request.command());
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        if (request.terminal() != null) {
            File tty = request.terminal().toFile();
            builder.redirectInput(tty).redirectOutput(tty).redirectError(tty);
        } else {
            builder.inheritIO();
        }
        try {
            return new SandboxProcess(builder.start(), status, List.of(seccomp, args, status));
        } catch (IOException e) {
            deleteQuietly(List.of(seccomp, args, status));
            throw new HostException("cannot start bubblewrap: " + e.getMessage(), "check that " + request.bwrap() + " runs", e);
        }
    }

    /** The host pid of the sandbox's init, once bubblewrap reported it; empty if it failed first. */
    public OptionalLong awaitInitPid(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            OptionalLong pid = readInitPid();
            if (pid.isPresent()) return pid;
            if (!process.isAlive()) return readInitPid();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return OptionalLong.empty();
    }

    private OptionalLong readInitPid() {
        try {
            Matcher m = CHILD_PID.matcher(Files.readString(statusFile));
            return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** Waits for bubblewrap to exit: the command's status, 128+N if it died of signal N. */
    public int waitFor() {
        while (true) {
            try {
                return process.waitFor();
            } catch (InterruptedException e) {
                // keep waiting: the sandbox owns the terminal until it exits
            }
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Ends the sandbox: bubblewrap's monitor dies and takes the whole pid namespace with it. */
    public void kill() {
        process.destroyForcibly();
    }

    /** Removes the launch files; call once the init pid is known or the process ended. */
    public void forgetLaunchFiles() {
        deleteQuietly(launchFiles);
    }

    private static byte[] nulSeparated(List<String> values) {
        StringBuilder out = new StringBuilder();
        for (String value : values) {
            if (value.indexOf('\0') >= 0) throw new IllegalArgumentException("NUL byte in a sandbox argument");
            out.append(value).append('\0');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void writePrivate(Path file, byte[] content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, content);
    }

    private static void deleteQuietly(List<Path> files) {
        for (Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // runtime files; they vanish at reboot
            }
        }
    }
}
