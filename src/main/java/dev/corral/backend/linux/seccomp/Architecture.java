package dev.corral.backend.linux.seccomp;

import java.util.Map;
import java.util.OptionalInt;

/**
 * A syscall ABI the seccomp program can be compiled for: its {@code AUDIT_ARCH_*} value (what the
 * kernel puts in {@code seccomp_data.arch}) and the numbers of the syscalls the rules name.
 */
public enum Architecture {

    /** AUDIT_ARCH_X86_64 = EM_X86_64 (62) | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE. */
    X86_64(0xC000003E, X86_64Syscalls.NUMBERS, true),
    /** AUDIT_ARCH_AARCH64 = EM_AARCH64 (183) | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE. */
    AARCH64(0xC00000B7, Aarch64Syscalls.NUMBERS, false);

    /** On x86_64, syscall numbers with this bit set belong to the x32 ABI (same AUDIT_ARCH). */
    public static final int X32_SYSCALL_BIT = 0x40000000;

    private final int auditArch;
    private final Map<String, Integer> syscallNumbers;
    private final boolean hasX32Abi;

    Architecture(int auditArch, Map<String, Integer> syscallNumbers, boolean hasX32Abi) {
        this.auditArch = auditArch;
        this.syscallNumbers = Map.copyOf(syscallNumbers);
        this.hasX32Abi = hasX32Abi;
    }

    /** The architecture of the running JVM, which is the one the sandbox's processes will use. */
    public static Architecture current() {
        return fromOsArch(System.getProperty("os.arch"));
    }

    /** Maps a {@code os.arch} value ("amd64", "x86_64", "aarch64"); anything else is unsupported. */
    public static Architecture fromOsArch(String osArch) {
        return switch (osArch == null ? "" : osArch) {
            case "amd64", "x86_64" -> X86_64;
            case "aarch64" -> AARCH64;
            default -> throw new UnsupportedOperationException(
                    "seccomp filtering is only supported on x86_64 and aarch64, not on os.arch '" + osArch + "'");
        };
    }

    public int auditArch() {
        return auditArch;
    }

    /** Whether syscall numbers with {@link #X32_SYSCALL_BIT} reach a second ABI that must be refused. */
    public boolean hasX32Abi() {
        return hasX32Abi;
    }

    /** The syscall's number on this architecture, or empty if the architecture has no such syscall. */
    public OptionalInt syscallNumber(String syscall) {
        Integer number = syscallNumbers.get(syscall);
        return number == null ? OptionalInt.empty() : OptionalInt.of(number);
    }

    /** Every syscall this architecture has a number for, by name. */
    public Map<String, Integer> syscallNumbers() {
        return syscallNumbers;
    }
}
