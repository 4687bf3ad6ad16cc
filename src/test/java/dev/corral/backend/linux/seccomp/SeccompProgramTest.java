package dev.corral.backend.linux.seccomp;

import static dev.corral.backend.linux.seccomp.Action.ALLOW;
import static dev.corral.backend.linux.seccomp.Action.ERRNO_ENOSYS;
import static dev.corral.backend.linux.seccomp.Action.ERRNO_EPERM;
import static dev.corral.backend.linux.seccomp.Filters.assertVerdict;
import static dev.corral.backend.linux.seccomp.Filters.nr;
import static dev.corral.backend.linux.seccomp.Filters.run;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the compiled filter answers, run through an independent BPF interpreter. */
class SeccompProgramTest {

    private static final long GLIBC_THREAD_FLAGS = 0x3d0f00L;  // VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|SETTLS|PARENT_SETTID|CHILD_CLEARTID
    private static final long GLIBC_FORK_FLAGS = 0x01200011L;   // CHILD_SETTID|CHILD_CLEARTID|SIGCHLD
    private static final long HIGH_GARBAGE = 0xDEAD_BEEF_0000_0000L;
    private static final int AUDIT_ARCH_I386 = 0x40000003;
    private static final int AUDIT_ARCH_ARM = 0x40000028;

    static Stream<Arguments> unconditionallyDeniedSyscalls() {
        return Arrays.stream(Architecture.values()).flatMap(arch -> SeccompRules.rules().stream()
                .filter(rule -> rule.action() == ERRNO_EPERM && rule.condition().isEmpty())
                .filter(rule -> arch.syscallNumber(rule.syscall()).isPresent())
                .map(rule -> Arguments.of(arch, rule.syscall())));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("unconditionallyDeniedSyscalls")
    void everyDeniedSyscallIsDeniedWithEpermOnBothArchitectures(Architecture arch, String syscall) {
        assertVerdict(ERRNO_EPERM, arch, syscall);
        assertVerdict(ERRNO_EPERM, arch, syscall, -1, -1, -1, -1, -1, -1);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void ptraceIsDeniedWithEperm(Architecture arch) {
        assertVerdict(ERRNO_EPERM, arch, "ptrace", 0 /* PTRACE_TRACEME */);
        assertVerdict(ERRNO_EPERM, arch, "ptrace", 16 /* PTRACE_ATTACH */, 1);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void namespaceAndMountCallsAreDenied(Architecture arch) {
        for (String syscall : new String[] {"unshare", "setns", "mount", "fsopen", "open_tree_attr", "pivot_root"}) {
            assertVerdict(ERRNO_EPERM, arch, syscall, 0);
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void clone3GetsEnosysSoLibcFallsBackToClone(Architecture arch) {
        assertVerdict(ERRNO_ENOSYS, arch, "clone3", 0x7ffc_0000_1000L, 88);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void cloneWithNewUserFlagIsDenied(Architecture arch) {
        assertVerdict(ERRNO_EPERM, arch, "clone", SeccompRules.CLONE_NEWUSER | 17 /* SIGCHLD */);
    }

    @ParameterizedTest
    @ValueSource(longs = {0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000})
    void cloneWithAnyNamespaceFlagIsDenied(long flag) {
        for (Architecture arch : Architecture.values()) {
            assertVerdict(ERRNO_EPERM, arch, "clone", flag | GLIBC_FORK_FLAGS);
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void plainThreadCloneIsAllowed(Architecture arch) {
        assertVerdict(ALLOW, arch, "clone", GLIBC_THREAD_FLAGS, 0x7f00_0000_0000L, 0x7f00_0000_1000L);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void forkStyleCloneIsAllowed(Architecture arch) {
        assertVerdict(ALLOW, arch, "clone", GLIBC_FORK_FLAGS);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void cloneFlagsAreJudgedByTheirLowWordAsTheKernelDoes(Architecture arch) {
        assertVerdict(ALLOW, arch, "clone", HIGH_GARBAGE | GLIBC_THREAD_FLAGS);
        assertVerdict(ERRNO_EPERM, arch, "clone", HIGH_GARBAGE | SeccompRules.CLONE_NEWNET);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void tiocstiAndTioclinuxAreDenied(Architecture arch) {
        assertVerdict(ERRNO_EPERM, arch, "ioctl", 0, SeccompRules.TIOCSTI, 0x7ffc_0000_0000L);
        assertVerdict(ERRNO_EPERM, arch, "ioctl", 0, SeccompRules.TIOCLINUX);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void tiocstiIsDeniedEvenWithHighBitsSetInTheRequest(Architecture arch) {
        assertVerdict(ERRNO_EPERM, arch, "ioctl", 0, HIGH_GARBAGE | SeccompRules.TIOCSTI);
        assertVerdict(ERRNO_EPERM, arch, "ioctl", 0, 0xFFFF_FFFF_0000_0000L | SeccompRules.TIOCLINUX);
        assertVerdict(ERRNO_EPERM, arch, "ioctl", 0, 0x1_0000_0000L | SeccompRules.TIOCSTI);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void ordinaryIoctlsLikeTcgetsAndTiocgwinszAreAllowed(Architecture arch) {
        for (long request : new long[] {0x5401 /* TCGETS */, 0x5413 /* TIOCGWINSZ */, 0x541B /* FIONREAD */,
                0x5421 /* FIONBIO */, 0x80086601L /* FS_IOC_GETFLAGS */, 0x5411 /* TIOCOUTQ */, 0x5413 | 0x1_0000_0000L}) {
            assertVerdict(ALLOW, arch, "ioctl", 1, request);
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void tiocstiAsTheFileDescriptorArgumentIsNotConfusedWithTheRequest(Architecture arch) {
        assertVerdict(ALLOW, arch, "ioctl", SeccompRules.TIOCSTI, 0x5401);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void netlinkAndPacketSocketsAreDenied(Architecture arch) {
        for (String call : new String[] {"socket", "socketpair"}) {
            assertVerdict(ERRNO_EPERM, arch, call, 16 /* AF_NETLINK */, 3 /* SOCK_RAW */, 0);
            assertVerdict(ERRNO_EPERM, arch, call, 17 /* AF_PACKET */, 3, 0x0300);
            assertVerdict(ERRNO_EPERM, arch, call, 40 /* AF_VSOCK */, 1, 0);
            assertVerdict(ERRNO_EPERM, arch, call, 38 /* AF_ALG */, 5, 0);
            assertVerdict(ERRNO_EPERM, arch, call, 0 /* AF_UNSPEC */, 1, 0);
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void unixInetAndInet6SocketsAreAllowed(Architecture arch) {
        for (String call : new String[] {"socket", "socketpair"}) {
            for (long domain : new long[] {1, 2, 10}) {
                assertVerdict(ALLOW, arch, call, domain, 1 /* SOCK_STREAM */, 0);
                assertVerdict(ALLOW, arch, call, domain, 0x80802 /* SOCK_DGRAM|NONBLOCK|CLOEXEC */, 0);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void socketDomainIsJudgedByItsLowWordAsTheKernelDoes(Architecture arch) {
        assertVerdict(ALLOW, arch, "socket", HIGH_GARBAGE | 2, 1, 0);
        assertVerdict(ERRNO_EPERM, arch, "socket", HIGH_GARBAGE | 16, 3, 0);
        assertVerdict(ERRNO_EPERM, arch, "socket", 0x1_0000_0000L, 1, 0);  // low word 0: AF_UNSPEC
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void harmlessPersonalitiesAndTheQueryAreAllowed(Architecture arch) {
        for (long persona : SeccompRules.ALLOWED_PERSONALITIES) {
            assertVerdict(ALLOW, arch, "personality", persona);
        }
        assertVerdict(ALLOW, arch, "personality", 0xFFFF_FFFF_FFFF_FFFFL);  // personality(-1) in a 64-bit register
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void personalitiesThatWeakenTheProcessAreDenied(Architecture arch) {
        for (long persona : new long[] {0x0040000 /* ADDR_NO_RANDOMIZE */, 0x0400000 /* READ_IMPLIES_EXEC */,
                0x0200000 /* MMAP_PAGE_ZERO */, 0x0800008 /* ADDR_LIMIT_32BIT|PER_LINUX32 */, 0x1}) {
            assertVerdict(ERRNO_EPERM, arch, "personality", persona);
        }
    }

    @Test
    void ioplAndIopermAreDeniedOnX86_64() {
        assertVerdict(ERRNO_EPERM, Architecture.X86_64, "iopl", 3);
        assertVerdict(ERRNO_EPERM, Architecture.X86_64, "ioperm", 0, 0x10000, 1);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void foreignArchitectureIsDenied(Architecture arch) {
        int getpid = arch == Architecture.X86_64 ? 39 : 172;
        for (int foreign : new int[] {AUDIT_ARCH_I386, AUDIT_ARCH_ARM, 0, -1, otherThan(arch).auditArch()}) {
            assertVerdict(ERRNO_EPERM, run(arch, new SeccompData(getpid, foreign, 0, new long[0])),
                    "arch 0x" + Integer.toHexString(foreign) + " on " + arch);
        }
    }

    @Test
    void i386IntEightyOnX86_64IsDeniedWhateverTheNumber() {
        for (int nr : new int[] {0, 1 /* exit */, 4 /* write */, 11 /* execve */, 120 /* clone */, 26 /* ptrace */}) {
            assertVerdict(ERRNO_EPERM, run(Architecture.X86_64, new SeccompData(nr, AUDIT_ARCH_I386, 0, new long[0])),
                    "i386 syscall " + nr);
        }
    }

    @Test
    void x32SyscallsAreDenied() {
        for (int nr : new int[] {0 /* read */, 1 /* write */, 39 /* getpid */, 101 /* ptrace */, 512, 545, 0x3FFF_FFFF}) {
            int x32 = Architecture.X32_SYSCALL_BIT | nr;
            assertVerdict(ERRNO_EPERM, run(Architecture.X86_64, SeccompData.call(Architecture.X86_64, x32)),
                    "x32 syscall 0x" + Integer.toHexString(x32));
        }
        assertVerdict(ERRNO_EPERM, run(Architecture.X86_64, SeccompData.call(Architecture.X86_64, -1)), "nr -1");
    }

    @Test
    void theX32BitMeansNothingOnAarch64AndIsLeftToTheKernel() {
        assertVerdict(ALLOW, run(Architecture.AARCH64, SeccompData.call(Architecture.AARCH64, 0x4000_0000)), "nr 0x40000000");
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void ordinarySyscallsAreAllowed(Architecture arch) {
        int[] numbers = arch == Architecture.X86_64
                ? new int[] {0, 1, 9, 39, 57 /* fork */, 58 /* vfork */, 59, 202, 231, 257, 317 /* seccomp */}
                : new int[] {63, 64, 222, 172, 221, 98, 94, 56, 277};
        for (int number : numbers) {
            assertVerdict(ALLOW, run(arch, SeccompData.call(arch, number, 3, 0x1000, 0)), arch + " syscall " + number);
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void listmountStatmountMemfdSecretAndNumaCallsAreAllowed(Architecture arch) {
        int[] numbers = arch == Architecture.X86_64
                ? new int[] {457, 458, 447, 237, 238, 256, 279}
                : new int[] {457, 458, 447, 235, 237, 238, 239};
        for (int number : numbers) {
            assertVerdict(ALLOW, run(arch, SeccompData.call(arch, number, 0, 0)), arch + " syscall " + number);
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aSyscallNumberOfTheOtherArchitectureIsJudgedByThisOnesTable(Architecture arch) {
        // 101 is ptrace on x86_64 but nanosleep on aarch64; 117 is ptrace on aarch64 but setresuid on x86_64.
        int otherPtrace = nr(otherThan(arch), "ptrace");
        assertVerdict(ALLOW, run(arch, SeccompData.call(arch, otherPtrace)), arch + " syscall " + otherPtrace);
    }

    private static Architecture otherThan(Architecture arch) {
        return arch == Architecture.X86_64 ? Architecture.AARCH64 : Architecture.X86_64;
    }
}
