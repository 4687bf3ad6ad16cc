package dev.corral.backend.linux.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * Compiles {@link SeccompRules} to a classic BPF seccomp filter, the bytes bubblewrap's
 * {@code --seccomp FD} reads: an array of {@code struct sock_filter} in little-endian order, no header.
 *
 * <p>Shape of the program:
 * <pre>
 *   A = arch;  if A != AUDIT_ARCH  return ERRNO(EPERM)      (i386 int 0x80, any foreign ABI)
 *   A = nr;    if A >= 0x40000000  return ERRNO(EPERM)      (x86_64 only: the x32 ABI)
 *   if A == nr(rule 1) { [test an argument]  return action }   one block per rule
 *   ...
 *   return ALLOW
 * </pre>
 * Every jump stays within its own block, so no offset comes near the one-byte limit, however many
 * rules there are. Until a block loads an argument the program only reads {@code nr} and {@code arch},
 * which lets the kernel (5.11+) prove every other syscall always allowed and skip the filter for it.
 */
public final class SeccompProgram {

    /** BPF_MAXINSNS: the kernel refuses longer classic BPF programs. */
    public static final int MAX_INSTRUCTIONS = 4096;

    static final int OFFSET_NR = 0;
    static final int OFFSET_ARCH = 4;
    static final int OFFSET_ARGS = 16;

    private SeccompProgram() {
    }

    /** The filter for {@link SeccompRules#rules()} on {@code arch}. */
    public static byte[] compile(Architecture arch) {
        return compile(arch, SeccompRules.rules());
    }

    /** The filter for any rule list; rules naming syscalls {@code arch} lacks are skipped. */
    public static byte[] compile(Architecture arch, List<SyscallRule> rules) {
        return encode(assemble(arch, rules));
    }

    static List<BpfInstruction> assemble(Architecture arch, List<SyscallRule> rules) {
        SeccompRules.requireUnique(rules);
        rules.forEach(SeccompProgram::requireKnownSomewhere);
        List<BpfInstruction> program = new ArrayList<>(prologue(arch));
        for (SyscallRule rule : rules) {
            OptionalInt number = arch.syscallNumber(rule.syscall());
            if (number.isPresent()) {
                program.addAll(block(number.getAsInt(), rule));
            }
        }
        program.add(BpfInstruction.ret(SeccompRules.DEFAULT_ACTION));
        if (program.size() > MAX_INSTRUCTIONS) {
            throw new IllegalStateException("seccomp program has " + program.size()
                    + " instructions; the kernel accepts at most " + MAX_INSTRUCTIONS);
        }
        return List.copyOf(program);
    }

    static byte[] encode(List<BpfInstruction> program) {
        ByteBuffer bytes = ByteBuffer.allocate(program.size() * BpfInstruction.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (BpfInstruction instruction : program) {
            bytes.putShort((short) instruction.code())
                    .put((byte) instruction.jt())
                    .put((byte) instruction.jf())
                    .putInt(instruction.k());
        }
        return bytes.array();
    }

    private static List<BpfInstruction> prologue(Architecture arch) {
        List<BpfInstruction> prologue = new ArrayList<>(List.of(
                BpfInstruction.loadWord(OFFSET_ARCH),
                BpfInstruction.jumpIfEqual(arch.auditArch(), 1, 0),
                BpfInstruction.ret(Action.ERRNO_EPERM),
                BpfInstruction.loadWord(OFFSET_NR)));
        if (arch.hasX32Abi()) {
            prologue.add(BpfInstruction.jumpIfAtLeast(Architecture.X32_SYSCALL_BIT, 0, 1));
            prologue.add(BpfInstruction.ret(Action.ERRNO_EPERM));
        }
        return prologue;
    }

    /** {@code if (nr == number) { body }}, where the body always returns. */
    private static List<BpfInstruction> block(int number, SyscallRule rule) {
        List<BpfInstruction> body = rule.condition()
                .map(condition -> conditionalBody(condition, rule.action()))
                .orElseGet(() -> List.of(BpfInstruction.ret(rule.action())));
        List<BpfInstruction> block = new ArrayList<>();
        block.add(BpfInstruction.jumpIfEqual(number, 0, body.size()));
        block.addAll(body);
        return block;
    }

    private static List<BpfInstruction> conditionalBody(ArgCondition condition, Action action) {
        BpfInstruction loadLowWord = BpfInstruction.loadWord(OFFSET_ARGS + 8 * condition.argIndex());
        Action otherwise = SeccompRules.DEFAULT_ACTION;
        // an if-chain, not a pattern switch: that would cost a bootstrap at every start of the CLI
        if (condition instanceof ArgCondition.AnyBitSet anyBitSet) {
            return List.of(loadLowWord, BpfInstruction.jumpIfAnySet((int) anyBitSet.mask(), 0, 1),
                    BpfInstruction.ret(action), BpfInstruction.ret(otherwise));
        }
        if (condition instanceof ArgCondition.OneOf oneOf) return matchAny(loadLowWord, oneOf.values(), action, otherwise);
        if (condition instanceof ArgCondition.NoneOf noneOf) return matchAny(loadLowWord, noneOf.values(), otherwise, action);
        throw new IllegalArgumentException("unknown condition " + condition);
    }

    /** Load, compare with each value; a match returns {@code onMatch}, no match {@code onNoMatch}. */
    private static List<BpfInstruction> matchAny(BpfInstruction load, List<Long> values, Action onMatch,
                                                 Action onNoMatch) {
        int n = values.size();
        BpfInstruction[] body = new BpfInstruction[n + 3];
        body[0] = load;
        for (int i = 0; i < n; i++) {
            // From comparison i, "ret onNoMatch" is n - i - 1 ahead and "ret onMatch" one further.
            body[1 + i] = BpfInstruction.jumpIfEqual((int) (long) values.get(i), n - i, 0);
        }
        body[n + 1] = BpfInstruction.ret(onNoMatch);
        body[n + 2] = BpfInstruction.ret(onMatch);
        return Arrays.asList(body);
    }

    private static void requireKnownSomewhere(SyscallRule rule) {
        boolean known = Arrays.stream(Architecture.values())
                .anyMatch(arch -> arch.syscallNumber(rule.syscall()).isPresent());
        if (!known) {
            throw new IllegalArgumentException("no architecture has a syscall named " + rule.syscall());
        }
    }
}
