package dev.corral.backend.linux.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The policy as data, independent of BPF. */
class SeccompRulesTest {

    private static final Set<String> RULED = SeccompRules.rules().stream()
            .map(SyscallRule::syscall).collect(Collectors.toSet());

    @Test
    void everythingNotNamedIsAllowed() {
        assertEquals(Action.ALLOW, SeccompRules.DEFAULT_ACTION);
    }

    @Test
    void eachSyscallHasAtMostOneRule() {
        assertEquals(SeccompRules.rules().size(), RULED.size());
    }

    @Test
    void setUserAndGroupIdBitsAreRefusedOnEveryCallThatSetsAMode() {
        for (String call : List.of("chmod", "fchmod", "fchmodat", "fchmodat2", "creat", "open", "openat", "mknod", "mknodat")) {
            SyscallRule rule = SeccompRules.rules().stream().filter(r -> r.syscall().equals(call)).findFirst().orElseThrow();
            assertTrue(rule.condition().isPresent(), call);
            assertTrue(rule.condition().get().matches(04755) && rule.condition().get().matches(02755), call);
            assertTrue(!rule.condition().get().matches(0755), call);
        }
    }

    @Test
    void everyRuleNamesASyscallX86_64Knows() {
        RULED.forEach(syscall -> assertTrue(Architecture.X86_64.syscallNumber(syscall).isPresent(), syscall));
    }

    @Test
    void onlyTheLegacyCallsAreMissingOnAarch64() {
        Set<String> missing = RULED.stream()
                .filter(syscall -> Architecture.AARCH64.syscallNumber(syscall).isEmpty())
                .collect(Collectors.toSet());
        assertEquals(Set.of("iopl", "ioperm", "uselib", "_sysctl", "ustat", "sysfs", "create_module",
                "get_kernel_syms", "query_module", "open", "creat", "chmod", "mknod"), missing);
    }

    @Test
    void theRiskiestSurfacesAreDeniedOutright() {
        for (String syscall : List.of("keyctl", "add_key", "request_key", "ptrace", "process_vm_readv",
                "process_vm_writev", "pidfd_getfd", "kcmp", "bpf", "perf_event_open", "userfaultfd",
                "io_uring_setup", "io_uring_enter", "io_uring_register", "mount", "umount2", "pivot_root",
                "chroot", "fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree",
                "mount_setattr", "open_tree_attr", "setns", "unshare", "kexec_load", "kexec_file_load",
                "init_module", "finit_module", "delete_module", "open_by_handle_at", "name_to_handle_at",
                "acct", "swapon", "swapoff", "reboot", "settimeofday", "clock_settime", "clock_adjtime",
                "adjtimex", "syslog", "quotactl", "quotactl_fd", "iopl", "ioperm", "lookup_dcookie",
                "vhangup", "uselib", "_sysctl", "ustat", "sysfs", "nfsservctl", "create_module",
                "get_kernel_syms", "query_module", "fanotify_init")) {
            assertEquals(Optional.of(SyscallRule.deny(syscall)), ruleFor(syscall), syscall);
        }
    }

    @Test
    void harmlessNeighboursAreNotListed() {
        for (String syscall : List.of("listmount", "statmount", "memfd_secret", "mbind", "migrate_pages",
                "move_pages", "set_mempolicy", "clone", "read", "seccomp", "prctl")) {
            assertTrue(ruleFor(syscall).map(rule -> rule.condition().isPresent()).orElse(true), syscall);
        }
    }

    @Test
    void clone3AnswersEnosys() {
        assertEquals(Optional.of(SyscallRule.always("clone3", Action.ERRNO_ENOSYS)), ruleFor("clone3"));
    }

    @Test
    void conditionalRulesTestTheRightArguments() {
        assertEquals(0, condition("clone").argIndex());
        assertEquals(1, condition("ioctl").argIndex());
        assertEquals(0, condition("socket").argIndex());
        assertEquals(0, condition("socketpair").argIndex());
        assertEquals(0, condition("personality").argIndex());
        assertEquals(0x7E020000L, ((ArgCondition.AnyBitSet) condition("clone")).mask());
    }

    @Test
    void ruleDecisionsFollowTheirConditions() {
        SyscallRule clone = ruleFor("clone").orElseThrow();
        assertEquals(Action.ALLOW, clone.decide(new long[] {0x3d0f00, 0, 0, 0, 0, 0}, Action.ALLOW));
        assertEquals(Action.ERRNO_EPERM, clone.decide(new long[] {0x10000000, 0, 0, 0, 0, 0}, Action.ALLOW));
        SyscallRule socket = ruleFor("socket").orElseThrow();
        assertEquals(Action.ALLOW, socket.decide(new long[] {0xFFFF_FFFF_0000_000AL, 0, 0, 0, 0, 0}, Action.ALLOW));
        assertEquals(Action.ERRNO_EPERM, socket.decide(new long[] {16, 3, 0, 0, 0, 0}, Action.ALLOW));
    }

    @Test
    void aDuplicateRuleIsReported() {
        var error = assertThrows(IllegalArgumentException.class,
                () -> SeccompRules.requireUnique(List.of(SyscallRule.deny("bpf"), SyscallRule.deny("bpf"))));
        assertTrue(error.getMessage().contains("bpf"));
    }

    @Test
    void theRuleListCannotBeChanged() {
        assertThrows(UnsupportedOperationException.class, () -> SeccompRules.rules().add(SyscallRule.deny("read")));
        assertEquals(new HashSet<>(SeccompRules.rules()).size(), SeccompRules.rules().size());
    }

    private static Optional<SyscallRule> ruleFor(String syscall) {
        return SeccompRules.rules().stream().filter(rule -> rule.syscall().equals(syscall)).findFirst();
    }

    private static ArgCondition condition(String syscall) {
        return ruleFor(syscall).flatMap(SyscallRule::condition).orElseThrow();
    }
}
