package dev.corral.backend.linux.seccomp;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

/**
 * A test on one syscall argument that decides whether a {@link SyscallRule} applies.
 *
 * <p>Every condition looks at the low 32 bits of the argument only. The arguments this project filters
 * (clone flags, ioctl requests, socket domains, personality values) are {@code int} or {@code unsigned
 * int} to the kernel, which drops the high half; comparing all 64 bits would let a caller slip past
 * the filter by setting garbage in the high half (e.g. {@code ioctl(fd, 0x1_0000_5412, ...)} is still
 * TIOCSTI). A Docker profile built from these conditions must keep that in mind: libseccomp compares
 * 64-bit values.
 */
public sealed interface ArgCondition {

    /** Largest number of values a condition may list (keeps every BPF jump within one byte). */
    int MAX_VALUES = 64;

    /** Which argument, 0 to 5. */
    int argIndex();

    /** Whether the condition holds for this argument value (the reference semantics, in plain Java). */
    boolean matches(long argValue);

    /** Holds when any bit of {@code mask} is set in the argument's low word. */
    static ArgCondition anyBitSet(int argIndex, long mask) {
        return new AnyBitSet(argIndex, mask);
    }

    /** Holds when the argument's low word is one of {@code values}. */
    static ArgCondition oneOf(int argIndex, long... values) {
        return new OneOf(argIndex, Arrays.stream(values).boxed().toList());
    }

    /** Holds when the argument's low word is none of {@code values}. */
    static ArgCondition noneOf(int argIndex, long... values) {
        return new NoneOf(argIndex, Arrays.stream(values).boxed().toList());
    }

    record AnyBitSet(int argIndex, long mask) implements ArgCondition {
        public AnyBitSet {
            checkArgIndex(argIndex);
            checkWord(mask, "mask");
            if (mask == 0) throw new IllegalArgumentException("mask must not be zero");
        }

        @Override
        public boolean matches(long argValue) {
            return (argValue & mask) != 0;
        }
    }

    record OneOf(int argIndex, List<Long> values) implements ArgCondition {
        public OneOf {
            checkArgIndex(argIndex);
            values = checkValues(values);
        }

        @Override
        public boolean matches(long argValue) {
            return values.contains(argValue & 0xFFFF_FFFFL);
        }
    }

    record NoneOf(int argIndex, List<Long> values) implements ArgCondition {
        public NoneOf {
            checkArgIndex(argIndex);
            values = checkValues(values);
        }

        @Override
        public boolean matches(long argValue) {
            return !values.contains(argValue & 0xFFFF_FFFFL);
        }
    }

    private static void checkArgIndex(int argIndex) {
        if (argIndex < 0 || argIndex > 5) {
            throw new IllegalArgumentException("syscall argument index must be 0 to 5, not " + argIndex);
        }
    }

    private static void checkWord(long value, String what) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(what + " must fit in 32 bits: 0x" + Long.toHexString(value));
        }
    }

    private static List<Long> checkValues(List<Long> values) {
        List<Long> copy = List.copyOf(values);
        if (copy.isEmpty() || copy.size() > MAX_VALUES) {
            throw new IllegalArgumentException("a condition needs 1 to " + MAX_VALUES + " values, not " + copy.size());
        }
        copy.forEach(value -> checkWord(value, "value"));
        if (new HashSet<>(copy).size() != copy.size()) {
            throw new IllegalArgumentException("values must be distinct: " + copy);
        }
        return copy;
    }
}
