package dev.corral.backend.linux.seccomp;

import java.util.Optional;

/**
 * One line of the seccomp policy: calls to {@code syscall} (by its kernel name) get {@code action},
 * if {@code condition} is present only when it holds; otherwise the default action applies.
 */
public record SyscallRule(String syscall, Action action, Optional<ArgCondition> condition) {

    public SyscallRule {
        if (syscall == null || !syscall.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a syscall name: " + syscall);
        }
        if (action == null || condition == null) {
            throw new IllegalArgumentException("a rule for " + syscall + " needs an action and an (optional) condition");
        }
    }

    /** Always fail {@code syscall} with EPERM. */
    public static SyscallRule deny(String syscall) {
        return new SyscallRule(syscall, Action.ERRNO_EPERM, Optional.empty());
    }

    /** Fail {@code syscall} with EPERM when {@code condition} holds. */
    public static SyscallRule denyWhen(String syscall, ArgCondition condition) {
        return new SyscallRule(syscall, Action.ERRNO_EPERM, Optional.of(condition));
    }

    /** Always answer {@code syscall} with {@code action}. */
    public static SyscallRule always(String syscall, Action action) {
        return new SyscallRule(syscall, action, Optional.empty());
    }

    /** The action for a call with these arguments, or {@code defaultAction} if the rule does not apply. */
    public Action decide(long[] args, Action defaultAction) {
        return condition.map(c -> c.matches(args[c.argIndex()]) ? action : defaultAction).orElse(action);
    }
}
