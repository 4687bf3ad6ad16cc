package dev.corral.backend.linux.seccomp;

/**
 * One classic BPF instruction, {@code struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; }}, limited to
 * the handful of forms the seccomp program needs. Jump offsets count instructions after the next one.
 */
record BpfInstruction(int code, int jt, int jf, int k) {

    static final int BPF_LD_W_ABS = 0x20;    // BPF_LD | BPF_W | BPF_ABS: A = *(u32 *)(data + k)
    static final int BPF_JMP_JEQ_K = 0x15;   // BPF_JMP | BPF_JEQ | BPF_K: pc += (A == k) ? jt : jf
    static final int BPF_JMP_JGE_K = 0x35;   // BPF_JMP | BPF_JGE | BPF_K: unsigned A >= k
    static final int BPF_JMP_JSET_K = 0x45;  // BPF_JMP | BPF_JSET | BPF_K: (A & k) != 0
    static final int BPF_RET_K = 0x06;       // BPF_RET | BPF_K: return k

    /** Bytes per encoded instruction. */
    static final int SIZE = 8;

    BpfInstruction {
        if (code < 0 || code > 0xFFFF) throw new IllegalArgumentException("BPF opcode out of range: " + code);
        if (jt < 0 || jt > 0xFF || jf < 0 || jf > 0xFF) {
            throw new IllegalArgumentException("BPF jump offset does not fit in a byte: jt=" + jt + " jf=" + jf);
        }
    }

    static BpfInstruction loadWord(int offset) {
        return new BpfInstruction(BPF_LD_W_ABS, 0, 0, offset);
    }

    static BpfInstruction jumpIfEqual(int k, int jt, int jf) {
        return new BpfInstruction(BPF_JMP_JEQ_K, jt, jf, k);
    }

    static BpfInstruction jumpIfAtLeast(int k, int jt, int jf) {
        return new BpfInstruction(BPF_JMP_JGE_K, jt, jf, k);
    }

    static BpfInstruction jumpIfAnySet(int k, int jt, int jf) {
        return new BpfInstruction(BPF_JMP_JSET_K, jt, jf, k);
    }

    static BpfInstruction ret(Action action) {
        return new BpfInstruction(BPF_RET_K, 0, 0, action.seccompReturnValue());
    }
}
