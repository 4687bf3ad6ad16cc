package dev.corral.backend.linux.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compiled filter on the real kernel, installed by bubblewrap's {@code --seccomp FD}. Each denial is
 * checked against a run without the filter, so a pass means the filter did it, not the environment.
 */
@Tag("sandbox")
class SeccompInBubblewrapTest {

    private static final String BWRAP = """
            filter=$1; shift
            exec bwrap --ro-bind / / --dev /dev --proc /proc --unshare-user --unshare-pid \
                 ${filter:+--seccomp 3} -- "$@" 3<"${filter:-/dev/null}"
            """;

    private record Result(int exitCode, String stdout, String stderr) {
    }

    @TempDir
    static Path tmp;
    private static Path filter;

    @BeforeAll
    static void writeFilter() throws IOException {
        boolean bwrapOnPath = List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).stream()
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "bwrap")));
        if (!bwrapOnPath) {
            fail("bubblewrap is not installed (apt-get install bubblewrap); the sandbox tests need it");
        }
        filter = Files.write(tmp.resolve("seccomp.bpf"), SeccompProgram.compile(Architecture.current()));
    }

    @Test
    void theFilterIsInstalled() {
        Result result = sandboxed("grep", "^Seccomp:", "/proc/self/status");
        assertEquals("Seccomp:\t2", result.stdout().strip(), result.toString());
    }

    @Test
    void ordinaryCommandsStillWork() {
        assertSucceeds(sandboxed("true"));
        assertSucceeds(sandboxed("ls", "/"));
        Result echo = sandboxed("sh", "-c", "echo ok");
        assertSucceeds(echo);
        assertEquals("ok", echo.stdout().strip());
    }

    @Test
    void threadedProgramsStillWorkBecauseLibcFallsBackFromClone3ToClone() {
        Result result = sandboxed("python3", "-c", """
                import threading
                results = []
                threads = [threading.Thread(target=results.append, args=(i,)) for i in range(8)]
                for t in threads: t.start()
                for t in threads: t.join()
                print(sum(results))
                """);
        assertSucceeds(result);
        assertEquals("28", result.stdout().strip());
    }

    @Test
    void forkingAndPipesStillWork() {
        Result result = sandboxed("sh", "-c", "echo hello | tr a-z A-Z | (cat; sleep 0)");
        assertSucceeds(result);
        assertEquals("HELLO", result.stdout().strip());
    }

    @Test
    void unshareOfAUserNamespaceFailsWithOperationNotPermitted() {
        assertSucceeds(unfiltered("unshare", "-U", "true"));
        Result result = sandboxed("unshare", "-U", "true");
        assertNotEquals(0, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("Operation not permitted"), result.toString());
    }

    @Test
    void netlinkSocketIsRefusedWithEperm() {
        String code = pythonErrno("import socket; socket.socket(socket.AF_NETLINK, socket.SOCK_RAW)");
        assertEquals("ok", unfiltered("python3", "-c", code).stdout().strip());
        assertEquals("EPERM", sandboxed("python3", "-c", code).stdout().strip());
    }

    @Test
    void inetAndUnixSocketsStillOpen() {
        String code = pythonErrno("""
                import socket
                socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
                socket.socketpair(socket.AF_UNIX)""");
        assertEquals("ok", sandboxed("python3", "-c", code).stdout().strip());
    }

    @Test
    void ptraceIsRefusedWithEperm() {
        // PTRACE_ATTACH to a pid that cannot exist: the kernel answers ESRCH (3) before any permission check.
        String code = libcErrno("libc.ptrace(16, 0x7ffffff0, None, None)");
        assertEquals("3", unfiltered("python3", "-c", code).stdout().strip());
        assertEquals("1", sandboxed("python3", "-c", code).stdout().strip());
    }

    @Test
    void tiocstiWithGarbageInTheHighBitsIsRefusedWithEperm() {
        // Without the filter the kernel drops the high bits and answers ENOTTY (25) for /dev/null.
        String code = libcErrno("""
                libc.ioctl(os.open('/dev/null', os.O_RDONLY), ctypes.c_ulong(0xdead00005412), ctypes.byref(ctypes.c_char(b'x')))""");
        assertEquals("25", unfiltered("python3", "-c", code).stdout().strip());
        assertEquals("1", sandboxed("python3", "-c", code).stdout().strip());
    }

    @Test
    void clone3AnswersEnosys() {
        // clone3(NULL, 0) is EINVAL (22) on a kernel that has it.
        String code = libcErrno("libc.syscall(435, None, 0)");
        assertEquals("22", unfiltered("python3", "-c", code).stdout().strip());
        assertEquals("38", sandboxed("python3", "-c", code).stdout().strip());
    }

    @Test
    void disablingAddressRandomisationIsRefused() {
        String code = libcErrno("libc.personality(0x0040000)");  // ADDR_NO_RANDOMIZE
        assertEquals("0", unfiltered("python3", "-c", code).stdout().strip());
        assertEquals("1", sandboxed("python3", "-c", code).stdout().strip());
        assertEquals("0", sandboxed("python3", "-c", libcErrno("libc.personality(0xffffffff)")).stdout().strip());
    }

    /** Prints "ok" if the statements run, or the errno name of the OSError they raise. */
    private static String pythonErrno(String statements) {
        return "import errno\ntry:\n" + statements.indent(4)
                + "except OSError as e:\n    print(errno.errorcode[e.errno])\nelse:\n    print('ok')\n";
    }

    /** Prints errno after a libc call through ctypes (0 if it succeeded). */
    private static String libcErrno(String call) {
        return "import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\nctypes.set_errno(0)\n"
                + "r = " + call.strip() + "\nprint(ctypes.get_errno() if r == -1 else 0)\n";
    }

    private static void assertSucceeds(Result result) {
        assertEquals(0, result.exitCode(), result.toString());
    }

    private static Result sandboxed(String... command) {
        return run(filter.toString(), command);
    }

    private static Result unfiltered(String... command) {
        return run("", command);
    }

    private static Result run(String filterPath, String... command) {
        List<String> argv = new ArrayList<>(List.of("bash", "-c", BWRAP, "bash", filterPath));
        argv.addAll(List.of(command));
        try {
            Path stdout = Files.createTempFile(tmp, "stdout", ".txt");
            Path stderr = Files.createTempFile(tmp, "stderr", ".txt");
            Process process = new ProcessBuilder(argv)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("timed out: " + argv);
            }
            return new Result(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
        } catch (IOException e) {
            throw new AssertionError("could not run " + argv, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + argv, e);
        }
    }
}
