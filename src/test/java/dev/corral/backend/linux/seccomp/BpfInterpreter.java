package dev.corral.backend.linux.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately small classic-BPF interpreter for seccomp programs, written independently of the
 * compiler: it decodes the raw bytes, rejects anything outside the forms the kernel accepts for
 * seccomp that the compiler is expected to use, and runs the program on a {@link SeccompData}.
 */
final class BpfInterpreter {

    record Insn(int code, int jt, int jf, int k) {
    }

    private static final int LD_W_ABS = 0x20;
    private static final int ALU_AND_K = 0x54;
    private static final int ALU_OR_K = 0x44;
    private static final int JMP_JA = 0x05;
    private static final int JMP_JEQ_K = 0x15;
    private static final int JMP_JGT_K = 0x25;
    private static final int JMP_JGE_K = 0x35;
    private static final int JMP_JSET_K = 0x45;
    private static final int RET_K = 0x06;

    private final List<Insn> program;

    private BpfInterpreter(List<Insn> program) {
        this.program = program;
    }

    /** Decodes and validates; throws IllegalArgumentException for anything the kernel would refuse. */
    static BpfInterpreter load(byte[] bytes) {
        if (bytes.length == 0 || bytes.length % 8 != 0) {
            throw new IllegalArgumentException("program length " + bytes.length + " is not a positive multiple of 8");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<Insn> program = new ArrayList<>();
        while (buffer.hasRemaining()) {
            program.add(new Insn(Short.toUnsignedInt(buffer.getShort()), Byte.toUnsignedInt(buffer.get()),
                    Byte.toUnsignedInt(buffer.get()), buffer.getInt()));
        }
        if (program.size() > 4096) throw new IllegalArgumentException("more than 4096 instructions");
        for (int pc = 0; pc < program.size(); pc++) {
            validate(program, pc);
        }
        if (program.getLast().code() != RET_K) throw new IllegalArgumentException("last instruction is not ret");
        return new BpfInterpreter(List.copyOf(program));
    }

    List<Insn> instructions() {
        return program;
    }

    private static void validate(List<Insn> program, int pc) {
        Insn insn = program.get(pc);
        int size = program.size();
        switch (insn.code()) {
            case LD_W_ABS -> {
                if (insn.k() < 0 || insn.k() > SeccompData.SIZE - 4 || insn.k() % 4 != 0) {
                    throw new IllegalArgumentException("pc " + pc + ": load outside seccomp_data or misaligned: " + insn.k());
                }
            }
            case ALU_AND_K, ALU_OR_K, RET_K -> {
            }
            case JMP_JA -> {
                if (Integer.toUnsignedLong(insn.k()) >= size - pc - 1) {
                    throw new IllegalArgumentException("pc " + pc + ": ja out of bounds");
                }
            }
            case JMP_JEQ_K, JMP_JGT_K, JMP_JGE_K, JMP_JSET_K -> {
                if (pc + 1 + insn.jt() >= size || pc + 1 + insn.jf() >= size) {
                    throw new IllegalArgumentException("pc " + pc + ": conditional jump out of bounds");
                }
            }
            default -> throw new IllegalArgumentException(
                    "pc " + pc + ": unsupported opcode 0x" + Integer.toHexString(insn.code()));
        }
    }

    /** Runs the program; returns the 32-bit value of the ret that ends it. */
    int run(SeccompData data) {
        ByteBuffer input = ByteBuffer.wrap(data.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        int a = 0;
        int pc = 0;
        while (true) {
            Insn insn = program.get(pc++);
            switch (insn.code()) {
                case LD_W_ABS -> a = input.getInt(insn.k());
                case ALU_AND_K -> a &= insn.k();
                case ALU_OR_K -> a |= insn.k();
                case JMP_JA -> pc += insn.k();
                case JMP_JEQ_K -> pc += a == insn.k() ? insn.jt() : insn.jf();
                case JMP_JGT_K -> pc += Integer.compareUnsigned(a, insn.k()) > 0 ? insn.jt() : insn.jf();
                case JMP_JGE_K -> pc += Integer.compareUnsigned(a, insn.k()) >= 0 ? insn.jt() : insn.jf();
                case JMP_JSET_K -> pc += (a & insn.k()) != 0 ? insn.jt() : insn.jf();
                case RET_K -> {
                    return insn.k();
                }
                default -> throw new IllegalStateException("unreachable: validated at load");
            }
        }
    }
}
