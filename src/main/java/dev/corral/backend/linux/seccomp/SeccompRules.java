package dev.corral.backend.linux.seccomp;

import static dev.corral.backend.linux.seccomp.ArgCondition.anyBitSet;
import static dev.corral.backend.linux.seccomp.ArgCondition.noneOf;
import static dev.corral.backend.linux.seccomp.ArgCondition.oneOf;
import static dev.corral.backend.linux.seccomp.SyscallRule.always;
import static dev.corral.backend.linux.seccomp.SyscallRule.deny;
import static dev.corral.backend.linux.seccomp.SyscallRule.denyWhen;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The sandbox's seccomp policy as data: everything is allowed except the kernel surfaces below, which
 * fail with EPERM (or ENOSYS for clone3). Architecture-independent: a rule naming a syscall that an
 * architecture lacks (iopl on aarch64) simply has nothing to filter there. {@link SeccompProgram}
 * compiles it to BPF; a Docker seccomp profile can be written from the same list.
 *
 * <p>Not in the list, on purpose: listmount/statmount (read-only), memfd_secret, the NUMA calls
 * (mbind, migrate_pages, move_pages, set_mempolicy), which are harmless without capabilities.
 */
public final class SeccompRules {

    public static final Action DEFAULT_ACTION = Action.ALLOW;

    public static final long CLONE_NEWNS = 0x00020000L;
    public static final long CLONE_NEWCGROUP = 0x02000000L;
    public static final long CLONE_NEWUTS = 0x04000000L;
    public static final long CLONE_NEWIPC = 0x08000000L;
    public static final long CLONE_NEWUSER = 0x10000000L;
    public static final long CLONE_NEWPID = 0x20000000L;
    public static final long CLONE_NEWNET = 0x40000000L;
    public static final long CLONE_NAMESPACE_FLAGS = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS
            | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET;

    public static final long TIOCSTI = 0x5412L;
    public static final long TIOCLINUX = 0x541CL;

    /** S_ISUID | S_ISGID: a file the sandbox marks so would run with its owner's rights on the host. */
    public static final long SET_ID_BITS = 04000L | 02000L;

    public static final long AF_UNIX = 1;
    public static final long AF_INET = 2;
    public static final long AF_INET6 = 10;

    /** PER_LINUX, PER_LINUX_32BIT, UNAME26, UNAME26|PER_LINUX_32BIT, and 0xffffffff (query only). */
    public static final List<Long> ALLOWED_PERSONALITIES = List.of(0x0L, 0x8L, 0x20000L, 0x20008L, 0xFFFF_FFFFL);

    private static final List<SyscallRule> RULES = build();

    private SeccompRules() {
    }

    /** The rules in a fixed order; each syscall appears at most once. */
    public static List<SyscallRule> rules() {
        return RULES;
    }

    private static List<SyscallRule> build() {
        List<SyscallRule> rules = new ArrayList<>();
        denyAll(rules,
                // Keyrings: shared kernel state, a long CVE history.
                "keyctl", "add_key", "request_key",
                // Reading or steering other processes.
                "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd", "kcmp",
                // Kernel attack surface with little use to an agent.
                "bpf", "perf_event_open", "userfaultfd",
                "io_uring_setup", "io_uring_enter", "io_uring_register",
                // Mounts, old and new API.
                "mount", "umount2", "pivot_root", "chroot", "fsopen", "fsconfig", "fsmount", "fspick",
                "move_mount", "open_tree", "mount_setattr", "open_tree_attr",
                // Namespaces: joining or making any (clone below, clone3 via ENOSYS).
                "setns", "unshare",
                // Kernel code and the machine itself.
                "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
                "open_by_handle_at", "name_to_handle_at",
                "acct", "swapon", "swapoff", "reboot", "settimeofday", "clock_settime", "clock_adjtime",
                "adjtimex", "syslog", "quotactl", "quotactl_fd", "iopl", "ioperm", "lookup_dcookie",
                "vhangup", "uselib", "_sysctl", "ustat", "sysfs", "nfsservctl", "create_module",
                "get_kernel_syms", "query_module", "fanotify_init");
        // clone3 passes its flags in memory, where BPF cannot look: say "no such syscall" so libc
        // falls back to clone, whose flags are a register.
        rules.add(always("clone3", Action.ERRNO_ENOSYS));
        rules.add(denyWhen("clone", anyBitSet(0, CLONE_NAMESPACE_FLAGS)));
        rules.add(denyWhen("ioctl", oneOf(1, TIOCSTI, TIOCLINUX)));
        rules.add(denyWhen("socket", noneOf(0, AF_UNIX, AF_INET, AF_INET6)));
        rules.add(denyWhen("socketpair", noneOf(0, AF_UNIX, AF_INET, AF_INET6)));
        // No set-user-ID or set-group-ID files: the workspace and home are host disk, and a file the
        // sandbox marks so would run on the host with its owner's rights (root's, if root invoked
        // Corral). openat2 passes its mode in memory: ENOSYS, libc's open uses openat.
        rules.add(denyWhen("chmod", anyBitSet(1, SET_ID_BITS)));
        rules.add(denyWhen("fchmod", anyBitSet(1, SET_ID_BITS)));
        rules.add(denyWhen("fchmodat", anyBitSet(2, SET_ID_BITS)));
        rules.add(denyWhen("fchmodat2", anyBitSet(2, SET_ID_BITS)));
        rules.add(denyWhen("creat", anyBitSet(1, SET_ID_BITS)));
        rules.add(denyWhen("open", anyBitSet(2, SET_ID_BITS)));
        rules.add(denyWhen("openat", anyBitSet(3, SET_ID_BITS)));
        rules.add(denyWhen("mknod", anyBitSet(1, SET_ID_BITS)));
        rules.add(denyWhen("mknodat", anyBitSet(2, SET_ID_BITS)));
        rules.add(always("openat2", Action.ERRNO_ENOSYS));
        rules.add(denyWhen("personality",
                noneOf(0, ALLOWED_PERSONALITIES.stream().mapToLong(Long::longValue).toArray())));
        requireUnique(rules);
        return List.copyOf(rules);
    }

    private static void denyAll(List<SyscallRule> rules, String... syscalls) {
        Stream.of(syscalls).map(SyscallRule::deny).forEach(rules::add);
    }

    static void requireUnique(List<SyscallRule> rules) {
        Set<String> seen = new HashSet<>();
        for (SyscallRule rule : rules) {
            if (!seen.add(rule.syscall())) {
                throw new IllegalArgumentException("more than one seccomp rule for " + rule.syscall());
            }
        }
    }
}
