package dev.corral.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Attack programs in Python, run inside a sandbox by the system's {@code /usr/bin/python3}, whose
 * ctypes reaches any syscall. A program reports each attempt as one {@code name=outcome} line: an
 * errno name such as {@code EPERM}, {@code OK} when the call succeeded, or a value it observed.
 * Syscall numbers are x86_64's (the machines these tests run on).
 *
 * <p>The prelude gives every program: {@code ptr(bytes)} (the address of a buffer kept alive),
 * {@code call(nr, *args)} (a raw syscall: its errno name or {@code OK}), {@code attempt(name, nr,
 * *args)} (call and report), {@code clone(flags)} (the raw clone syscall, the child exits at once),
 * {@code status(argv)} (a program's exit status, as text) and {@code report(name, outcome)}.
 */
final class SandboxPython {
    static final String PYTHON = "/usr/bin/python3";
    private static final String DONE = "corral-python-probe-finished";
    private static final String PRELUDE = """
            import ctypes, errno, os, signal, socket, struct, subprocess, sys, time
            libc = ctypes.CDLL(None, use_errno=True)
            libc.syscall.restype = ctypes.c_long
            _keep = []
            def ptr(data):
                buf = ctypes.create_string_buffer(bytes(data), len(data) + 1)
                _keep.append(buf)
                return ctypes.addressof(buf)
            def _raw(nr, *args):
                ctypes.set_errno(0)
                r = libc.syscall(ctypes.c_long(nr), *[ctypes.c_long(a) for a in args])
                return r, ctypes.get_errno()
            def _name(e):
                return errno.errorcode.get(e, str(e))
            def call(nr, *args):
                r, e = _raw(nr, *args)
                return _name(e) if r == -1 else 'OK'
            def report(name, outcome):
                print(f'{name}={outcome}', flush=True)
            def attempt(name, nr, *args):
                report(name, call(nr, *args))
            def clone(flags):
                r, e = _raw(56, flags, 0, 0, 0, 0)
                if r == 0:
                    os._exit(0)
                if r > 0:
                    os.waitpid(r, 0)
                    return 'OK'
                return _name(e)
            def status(argv, timeout=20):
                try:
                    return str(subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                              stderr=subprocess.DEVNULL, timeout=timeout).returncode)
                except FileNotFoundError:
                    return 'missing'
                except subprocess.TimeoutExpired:
                    return 'timeout'
            """;

    private SandboxPython() {
    }

    /** What one program reported, and the raw result for messages. */
    record Outcomes(CorralHarness.Result result, Map<String, String> values) {
        String get(String name) {
            String value = values.get(name);
            if (value == null) fail("the program reported nothing for '" + name + "':\n" + result);
            return value;
        }

        /** Asserts every named attempt had the expected outcome, listing every one that did not. */
        void assertEach(String expected, String... names) {
            assertEach(Set.of(expected), names);
        }

        /** Asserts every named attempt had one of the accepted outcomes, listing every one that did not. */
        void assertEach(Set<String> accepted, String... names) {
            List<String> wrong = new ArrayList<>();
            for (String name : names) {
                String value = values.get(name);
                if (!accepted.contains(value)) wrong.add(name + " -> " + value);
            }
            assertTrue(wrong.isEmpty(), () -> "expected " + accepted + " but got:\n  " + String.join("\n  ", wrong) + "\n" + result);
        }

        /** Asserts every attempt whose name starts with the prefix (at least one) had the expected outcome. */
        void assertEachStartingWith(String prefix, Set<String> accepted) {
            String[] names = values.keySet().stream().filter(k -> k.startsWith(prefix)).toArray(String[]::new);
            assertTrue(names.length > 0, () -> "the program reported no attempt named " + prefix + "...:\n" + result);
            assertEach(accepted, names);
        }
    }

    /** Runs the program in a fresh sandbox of the workspace; it must run to its end. */
    static Outcomes run(CorralHarness corral, String program) {
        CorralHarness.Result r = corral.corral("run", "--", PYTHON, "-c", program(program));
        return finished(r);
    }

    /** The program with the prelude and the end marker, for {@code python3 -c}. */
    static String program(String program) {
        return PRELUDE + program + "\nprint('" + DONE + "', flush=True)\n";
    }

    /** Checks the program ran to its end and exited 0, and collects what it reported. */
    static Outcomes finished(CorralHarness.Result r) {
        assertEquals(0, r.exit(), () -> "the attack program failed:\n" + r);
        assertTrue(r.stdout().contains(DONE), () -> "the attack program did not run to its end:\n" + r);
        return new Outcomes(r, parse(r.stdout()));
    }

    static Map<String, String> parse(String stdout) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : stdout.split("\r?\n|\r")) {
            int eq = line.indexOf('=');
            if (eq > 0) values.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        return values;
    }
}
