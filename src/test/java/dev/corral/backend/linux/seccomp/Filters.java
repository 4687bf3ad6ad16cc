package dev.corral.backend.linux.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumMap;
import java.util.Map;

/** Test helpers: the compiled program per architecture, run through {@link BpfInterpreter}. */
final class Filters {

    private static final Map<Architecture, BpfInterpreter> PROGRAMS = new EnumMap<>(Architecture.class);

    private Filters() {
    }

    static synchronized BpfInterpreter program(Architecture arch) {
        return PROGRAMS.computeIfAbsent(arch, a -> BpfInterpreter.load(SeccompProgram.compile(a)));
    }

    static int nr(Architecture arch, String syscall) {
        return arch.syscallNumber(syscall).orElseThrow(
                () -> new AssertionError(arch + " has no syscall " + syscall));
    }

    static int run(Architecture arch, SeccompData data) {
        return program(arch).run(data);
    }

    static int call(Architecture arch, String syscall, long... args) {
        return run(arch, SeccompData.call(arch, nr(arch, syscall), args));
    }

    static void assertVerdict(Action expected, int actual, Object what) {
        assertEquals(hex(expected.seccompReturnValue()), hex(actual), () -> expected + " expected for " + what);
    }

    static void assertVerdict(Action expected, Architecture arch, String syscall, long... args) {
        assertVerdict(expected, call(arch, syscall, args), arch + " " + syscall);
    }

    static String hex(int value) {
        return "0x" + Integer.toHexString(value);
    }
}
