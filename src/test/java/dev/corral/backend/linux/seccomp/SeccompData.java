package dev.corral.backend.linux.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * {@code struct seccomp_data { int nr; u32 arch; u64 instruction_pointer; u64 args[6]; }} as the
 * kernel lays it out on a little-endian machine: 64 bytes.
 */
record SeccompData(int nr, int arch, long instructionPointer, long[] args) {

    static final int SIZE = 64;

    SeccompData {
        if (args.length > 6) throw new IllegalArgumentException("at most 6 syscall arguments");
        args = Arrays.copyOf(args, 6);
    }

    static SeccompData call(Architecture arch, int nr, long... args) {
        return new SeccompData(nr, arch.auditArch(), 0x7f00_1234_5678L, args);
    }

    byte[] bytes() {
        ByteBuffer buffer = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(nr).putInt(arch).putLong(instructionPointer);
        for (long arg : args) buffer.putLong(arg);
        return buffer.array();
    }

    @Override
    public String toString() {
        return "seccomp_data{nr=" + nr + ", arch=0x" + Integer.toHexString(arch) + ", args="
                + Arrays.stream(args).mapToObj(a -> "0x" + Long.toHexString(a)).toList() + "}";
    }
}
