package dev.corral.backend.linux.seccomp;

import java.util.OptionalInt;

/** What the filter does with a syscall: let it through, or fail it with an errno without running it. */
public enum Action {

    ALLOW(OptionalInt.empty()),
    /** The syscall fails with EPERM, as if the sandbox lacked the privilege. */
    ERRNO_EPERM(OptionalInt.of(1)),
    /** The syscall fails with ENOSYS, as if the kernel were too old to have it (callers fall back). */
    ERRNO_ENOSYS(OptionalInt.of(38));

    static final int SECCOMP_RET_ALLOW = 0x7fff0000;
    static final int SECCOMP_RET_ERRNO = 0x00050000;

    private final OptionalInt errno;

    Action(OptionalInt errno) {
        this.errno = errno;
    }

    /** The errno the syscall fails with, or empty for {@link #ALLOW}. */
    public OptionalInt errno() {
        return errno;
    }

    /** The 32-bit value a seccomp filter returns for this action. */
    public int seccompReturnValue() {
        return errno.isPresent() ? SECCOMP_RET_ERRNO | errno.getAsInt() : SECCOMP_RET_ALLOW;
    }
}
