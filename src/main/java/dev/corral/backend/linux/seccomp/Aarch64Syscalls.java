package dev.corral.backend.linux.seccomp;

import java.util.Map;

/**
 * aarch64 syscall numbers (the generic table, include/uapi/asm-generic/unistd.h) of the syscalls
 * {@link SeccompRules} names. The legacy x86-only calls (iopl, ioperm, uselib, _sysctl, ustat, sysfs,
 * create_module, get_kernel_syms, query_module) have no number here, so no rule is emitted for them.
 */
final class Aarch64Syscalls {

    static final Map<String, Integer> NUMBERS = Map.ofEntries(
            Map.entry("lookup_dcookie", 18),
            Map.entry("ioctl", 29),
            Map.entry("umount2", 39),
            Map.entry("mount", 40),
            Map.entry("pivot_root", 41),
            Map.entry("nfsservctl", 42),
            Map.entry("chroot", 51),
            Map.entry("vhangup", 58),
            Map.entry("quotactl", 60),
            Map.entry("acct", 89),
            Map.entry("personality", 92),
            Map.entry("unshare", 97),
            Map.entry("kexec_load", 104),
            Map.entry("init_module", 105),
            Map.entry("delete_module", 106),
            Map.entry("clock_settime", 112),
            Map.entry("syslog", 116),
            Map.entry("ptrace", 117),
            Map.entry("reboot", 142),
            Map.entry("settimeofday", 170),
            Map.entry("adjtimex", 171),
            Map.entry("socket", 198),
            Map.entry("socketpair", 199),
            Map.entry("add_key", 217),
            Map.entry("request_key", 218),
            Map.entry("keyctl", 219),
            Map.entry("clone", 220),
            Map.entry("swapon", 224),
            Map.entry("swapoff", 225),
            Map.entry("perf_event_open", 241),
            Map.entry("fanotify_init", 262),
            Map.entry("name_to_handle_at", 264),
            Map.entry("open_by_handle_at", 265),
            Map.entry("clock_adjtime", 266),
            Map.entry("setns", 268),
            Map.entry("process_vm_readv", 270),
            Map.entry("process_vm_writev", 271),
            Map.entry("kcmp", 272),
            Map.entry("finit_module", 273),
            Map.entry("bpf", 280),
            Map.entry("userfaultfd", 282),
            Map.entry("kexec_file_load", 294),
            Map.entry("io_uring_setup", 425),
            Map.entry("io_uring_enter", 426),
            Map.entry("io_uring_register", 427),
            Map.entry("open_tree", 428),
            Map.entry("move_mount", 429),
            Map.entry("fsopen", 430),
            Map.entry("fsconfig", 431),
            Map.entry("fsmount", 432),
            Map.entry("fspick", 433),
            Map.entry("clone3", 435),
            Map.entry("mknodat", 33),
            Map.entry("fchmod", 52),
            Map.entry("fchmodat", 53),
            Map.entry("openat", 56),
            Map.entry("openat2", 437),
            Map.entry("fchmodat2", 452),
            Map.entry("pidfd_getfd", 438),
            Map.entry("mount_setattr", 442),
            Map.entry("quotactl_fd", 443),
            Map.entry("open_tree_attr", 467));

    private Aarch64Syscalls() {
    }
}
