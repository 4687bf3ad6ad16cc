package dev.corral.backend.docker;

import dev.corral.backend.linux.seccomp.Action;
import dev.corral.backend.linux.seccomp.ArgCondition;
import dev.corral.backend.linux.seccomp.Architecture;
import dev.corral.backend.linux.seccomp.SeccompRules;
import dev.corral.backend.linux.seccomp.SyscallRule;
import dev.corral.support.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link SeccompRules} as a Docker seccomp profile ({@code docker run --security-opt seccomp=FILE}),
 * the counterpart of the BPF program {@code SeccompProgram} hands to bubblewrap.
 *
 * <p>Docker gives the profile to runc, which builds the filter with libseccomp: the entries for one
 * syscall are ORed, the comparisons inside one entry ANDed, every comparison looks at all 64 bits, and
 * {@code SCMP_CMP_MASKED_EQ} means {@code (arg & value) == valueTwo}. The rules look at an argument's
 * low 32 bits only, so every comparison here is a MASKED_EQ whose mask lies within the low word:
 * <ul>
 *   <li>{@code AnyBitSet(mask)}: one entry per bit of the mask, {@code (arg & bit) == bit}.
 *   <li>{@code OneOf(values)}: one entry per value, {@code (arg & 0xFFFFFFFF) == value}.
 *   <li>{@code NoneOf(values)}: the low-word values not listed, cut into aligned power-of-two blocks
 *       (as a CIDR range is), one entry per block: {@code (arg & ~(size - 1) & 0xFFFFFFFF) == start}.
 *       Not a chain of {@code SCMP_CMP_NE}: runc turns an entry with several comparisons on the same
 *       argument into separate, ORed rules, which would deny every value; and NE compares 64 bits.
 * </ul>
 * So the profile decides every call on a listed architecture exactly as {@link SyscallRule#decide}
 * does, high garbage included. It differs from the native program in two places:
 * <ul>
 *   <li>Only the native architecture is listed. libseccomp sends any other ABI (i386 {@code int 0x80}
 *       on x86_64, arm32 on aarch64) and, on x86_64, the x32 ABI (syscall numbers with bit 30 set) to
 *       its bad-architecture action, which runc leaves at the default: the thread is killed with
 *       SIGSYS. The native program returns EPERM there instead: both refuse, Docker more harshly.
 *   <li>One gap the profile cannot close: runc drops, with only a debug log, every name the host's
 *       libseccomp does not know, and that syscall is then allowed (open_tree_attr under Debian 12's
 *       libseccomp 2.5.4, seen with runc 1.1.5). The BPF names syscalls by number and has no such gap.
 * </ul>
 * Syscalls the architecture lacks are left out, as the BPF program leaves them out.
 */
public final class SeccompProfile {

    private static final long LOW_WORD = 0xFFFF_FFFFL;

    private SeccompProfile() {
    }

    /** The profile for {@code arch}, which must be the Docker host's architecture; same text every call. */
    public static String json(Architecture arch) {
        Map<String, Object> profile = new LinkedHashMap<>(
                action(SeccompRules.DEFAULT_ACTION, "defaultAction", "defaultErrnoRet"));
        profile.put("architectures", List.of(scmpArchitecture(arch)));
        profile.put("syscalls", syscalls(arch));
        return Json.writePretty(profile);
    }

    /** One entry per distinct action and comparison, naming every syscall that shares it, in rule order. */
    private static List<Map<String, Object>> syscalls(Architecture arch) {
        Map<Map<String, Object>, List<String>> namesByEntry = new LinkedHashMap<>();
        for (SyscallRule rule : SeccompRules.rules()) {
            if (arch.syscallNumber(rule.syscall()).isPresent() && rule.action() != SeccompRules.DEFAULT_ACTION) {
                entries(rule).forEach(entry -> namesByEntry.computeIfAbsent(entry, key -> new ArrayList<>()).add(rule.syscall()));
            }
        }
        List<Map<String, Object>> syscalls = new ArrayList<>();
        namesByEntry.forEach((entry, names) -> {
            Map<String, Object> named = new LinkedHashMap<>();
            named.put("names", names);
            named.putAll(entry);
            syscalls.add(named);
        });
        return syscalls;
    }

    /** The rule's entries without their names: one if it is unconditional, else one per comparison. */
    private static List<Map<String, Object>> entries(SyscallRule rule) {
        Map<String, Object> action = action(rule.action(), "action", "errnoRet");
        if (rule.condition().isEmpty()) return List.of(action);
        return comparisons(rule.condition().get()).stream().map(comparison -> {
            Map<String, Object> entry = new LinkedHashMap<>(action);
            entry.put("args", List.of(comparison));
            return entry;
        }).toList();
    }

    /** Comparisons any one of which makes the condition hold. */
    private static List<Map<String, Object>> comparisons(ArgCondition condition) {
        int index = condition.argIndex();
        List<Map<String, Object>> comparisons = new ArrayList<>();
        // an if-chain like SeccompProgram's, not a pattern switch
        if (condition instanceof ArgCondition.AnyBitSet anyBitSet) {
            for (long bits = anyBitSet.mask(); bits != 0; bits &= bits - 1) {
                long bit = Long.lowestOneBit(bits);
                comparisons.add(maskedEqual(index, bit, bit));
            }
        } else if (condition instanceof ArgCondition.OneOf oneOf) {
            oneOf.values().forEach(value -> comparisons.add(maskedEqual(index, LOW_WORD, value)));
        } else if (condition instanceof ArgCondition.NoneOf noneOf) {
            long next = 0;
            for (long value : noneOf.values().stream().sorted().toList()) {
                addBlocks(comparisons, index, next, value - 1);
                next = value + 1;
            }
            addBlocks(comparisons, index, next, LOW_WORD);
        } else {
            throw new IllegalArgumentException("unknown condition " + condition);
        }
        return comparisons;
    }

    /** Low words {@code from} to {@code to} (none if {@code from > to}) as aligned power-of-two blocks. */
    private static void addBlocks(List<Map<String, Object>> comparisons, int index, long from, long to) {
        while (from <= to) {
            long size = from == 0 ? LOW_WORD + 1 : Long.lowestOneBit(from);
            while (from + size - 1 > to) size >>= 1;
            comparisons.add(maskedEqual(index, LOW_WORD & ~(size - 1), from));
            from += size;
        }
    }

    private static Map<String, Object> maskedEqual(int index, long mask, long datum) {
        Map<String, Object> comparison = new LinkedHashMap<>();
        comparison.put("index", index);
        comparison.put("value", mask);
        comparison.put("valueTwo", datum);
        comparison.put("op", "SCMP_CMP_MASKED_EQ");
        return comparison;
    }

    private static Map<String, Object> action(Action action, String actionKey, String errnoKey) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put(actionKey, action.errno().isPresent() ? "SCMP_ACT_ERRNO" : "SCMP_ACT_ALLOW");
        action.errno().ifPresent(errno -> fields.put(errnoKey, errno));
        return fields;
    }

    private static String scmpArchitecture(Architecture arch) {
        return switch (arch) {
            case X86_64 -> "SCMP_ARCH_X86_64";
            case AARCH64 -> "SCMP_ARCH_AARCH64";
        };
    }
}
