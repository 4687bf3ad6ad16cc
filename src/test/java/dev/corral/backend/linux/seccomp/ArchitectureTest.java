package dev.corral.backend.linux.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ArchitectureTest {

    @Test
    void javaArchitectureNamesMapToSeccompArchitectures() {
        assertEquals(Architecture.X86_64, Architecture.fromOsArch("amd64"));
        assertEquals(Architecture.X86_64, Architecture.fromOsArch("x86_64"));
        assertEquals(Architecture.AARCH64, Architecture.fromOsArch("aarch64"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86", "i386", "arm", "riscv64", "ppc64le", "s390x", ""})
    void otherArchitecturesAreRefusedWithAClearMessage(String osArch) {
        var error = assertThrows(UnsupportedOperationException.class, () -> Architecture.fromOsArch(osArch));
        assertTrue(error.getMessage().contains("x86_64 and aarch64"), error.getMessage());
        assertTrue(error.getMessage().contains("'" + osArch + "'"), error.getMessage());
    }

    @Test
    void currentArchitectureIsTheJvmsOwn() {
        assertEquals(Architecture.fromOsArch(System.getProperty("os.arch")), Architecture.current());
    }

    @Test
    void auditArchValuesAreTheKernels() {
        assertEquals(0xC000003E, Architecture.X86_64.auditArch());
        assertEquals(0xC00000B7, Architecture.AARCH64.auditArch());
    }

    @Test
    void onlyX86_64HasTheX32Abi() {
        assertTrue(Architecture.X86_64.hasX32Abi());
        assertTrue(!Architecture.AARCH64.hasX32Abi());
    }

    @Test
    void syscallNumbersMatchTheKernelTables() {
        Map<String, int[]> expected = Map.of(
                "ptrace", new int[] {101, 117},
                "clone", new int[] {56, 220},
                "clone3", new int[] {435, 435},
                "ioctl", new int[] {16, 29},
                "socket", new int[] {41, 198},
                "unshare", new int[] {272, 97},
                "mount", new int[] {165, 40},
                "personality", new int[] {135, 92},
                "open_tree_attr", new int[] {467, 467},
                "keyctl", new int[] {250, 219});
        expected.forEach((syscall, numbers) -> {
            assertEquals(numbers[0], Architecture.X86_64.syscallNumber(syscall).getAsInt(), "x86_64 " + syscall);
            assertEquals(numbers[1], Architecture.AARCH64.syscallNumber(syscall).getAsInt(), "aarch64 " + syscall);
        });
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void noTwoSyscallsShareANumber(Architecture arch) {
        var numbers = arch.syscallNumbers().values();
        assertEquals(numbers.size(), new HashSet<>(numbers).size(), () -> arch + ": " + arch.syscallNumbers());
        numbers.forEach(nr -> assertTrue(nr >= 0 && nr < 1000, arch + " number " + nr));
    }

    @Test
    void legacyX86CallsHaveNoNumberOnAarch64() {
        for (String syscall : new String[] {"iopl", "ioperm", "uselib", "_sysctl", "ustat", "sysfs",
                "create_module", "get_kernel_syms", "query_module"}) {
            assertTrue(Architecture.AARCH64.syscallNumber(syscall).isEmpty(), syscall);
            assertTrue(Architecture.X86_64.syscallNumber(syscall).isPresent(), syscall);
        }
    }
}
