package dev.corral.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code corral run} on a terminal: a login shell on a pseudo-terminal of its own that behaves like
 * a normal terminal — the window size arrives, Ctrl-C interrupts the foreground job and not the
 * sandbox, job control works, and the shell's exit status comes back.
 */
class InteractiveShellIT {
    /** Plays the user at a terminal: waits for the prompt, types, presses Ctrl-C, exits with 4. */
    private static final String USER_AT_A_TERMINAL = """
            import fcntl, os, pty, select, struct, sys, termios, time
            pid, master = pty.fork()
            if pid == 0:
                os.execvp(sys.argv[1], sys.argv[1:])
            fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack('HHHH', 30, 100, 0, 0))
            pending, everything = b'', b''
            def wait_for(*tokens, timeout=60):
                global pending, everything
                end = time.time() + timeout
                while time.time() < end:
                    for token in tokens:
                        if token in pending:
                            pending = pending[pending.index(token) + len(token):]
                            return True
                    ready, _, _ = select.select([master], [], [], 0.2)
                    if ready:
                        try:
                            chunk = os.read(master, 65536)
                        except OSError:
                            return False
                        if not chunk:
                            return False
                        pending += chunk
                        everything += chunk
                return False
            log = ['prompt=%s' % wait_for(b'$ ', b'# ')]
            os.write(master, b'stty size; echo in-$((6*7)); sleep 30 & fg\\n')
            log.append('typed=%s' % wait_for(b'in-42'))
            time.sleep(1)
            os.write(master, b'\\x03')
            os.write(master, b'echo after-$((1+1))\\n')
            log.append('alive=%s' % wait_for(b'after-2'))
            os.write(master, b'exit 4\\n')
            wait_for(b'never', timeout=10)
            _, status = os.waitpid(pid, 0)
            log.append('size=%s' % (b'30 100' in everything))
            print('\\n'.join(log))
            sys.exit(os.waitstatus_to_exitcode(status))
            """;

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aLoginShellBehavesLikeANormalTerminal(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            CorralHarness.Result r = corral.corralVia(List.of(SandboxPython.PYTHON, "-c", USER_AT_A_TERMINAL), Map.of(), "run");

            assertTrue(r.stdout().contains("prompt=True"), "the login shell prompts: " + r);
            assertTrue(r.stdout().contains("typed=True"), "what is typed runs: " + r);
            assertTrue(r.stdout().contains("alive=True"), "Ctrl-C stops the foreground job, not the shell: " + r);
            assertTrue(r.stdout().contains("size=True"), "the terminal's size arrives: " + r);
            assertEquals(4, r.exit(), "the shell's exit status comes back: " + r);
        }
    }
}
