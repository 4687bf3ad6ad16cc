package dev.corral.backend.linux.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The test interpreter is the referee for every other test here, so it is tested too. */
class BpfInterpreterTest {

    private static final SeccompData DATA = new SeccompData(7, 0xC000003E, 0, new long[] {0xAAAA_BBBB_0000_1234L, 5});

    @Test
    void loadsWordsOfSeccompDataInLittleEndianOrder() {
        assertEquals(1, loadEquals(0, 7));
        assertEquals(1, loadEquals(4, 0xC000003E));
        assertEquals(1, loadEquals(16, 0x1234));        // low word of arg0
        assertEquals(1, loadEquals(20, 0xAAAA_BBBB));   // high word of arg0
        assertEquals(1, loadEquals(24, 5));
        assertEquals(0, loadEquals(24, 6));
    }

    @Test
    void conditionalJumpsCompareUnsigned() {
        byte[] jgt = program(insn(0x20, 0, 0, 4), insn(0x25, 0, 1, 0x1000), insn(0x06, 0, 0, 1), insn(0x06, 0, 0, 2));
        assertEquals(1, BpfInterpreter.load(jgt).run(DATA));
        byte[] jge = program(insn(0x20, 0, 0, 0), insn(0x35, 0, 1, 8), insn(0x06, 0, 0, 1), insn(0x06, 0, 0, 2));
        assertEquals(2, BpfInterpreter.load(jge).run(DATA));
        byte[] jset = program(insn(0x20, 0, 0, 0), insn(0x45, 1, 0, 4), insn(0x06, 0, 0, 1), insn(0x06, 0, 0, 2));
        assertEquals(2, BpfInterpreter.load(jset).run(DATA));
    }

    @Test
    void aluAndOrAndUnconditionalJumpsWork() {
        byte[] bytes = program(insn(0x20, 0, 0, 16), insn(0x54, 0, 0, 0xF0), insn(0x44, 0, 0, 0x1),
                insn(0x05, 0, 0, 1), insn(0x06, 0, 0, 99), insn(0x15, 0, 1, 0x31), insn(0x06, 0, 0, 1), insn(0x06, 0, 0, 2));
        assertEquals(1, BpfInterpreter.load(bytes).run(DATA));
    }

    @Test
    void outOfBoundsJumpsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> BpfInterpreter.load(program(insn(0x15, 1, 0, 0), insn(0x06, 0, 0, 0))));
        assertThrows(IllegalArgumentException.class, () -> BpfInterpreter.load(program(insn(0x05, 0, 0, 1), insn(0x06, 0, 0, 0))));
        assertThrows(IllegalArgumentException.class, () -> BpfInterpreter.load(program(insn(0x05, 0, 0, -1), insn(0x06, 0, 0, 0))));
    }

    @Test
    void unknownOpcodesMisalignedLoadsAndMissingReturnAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> BpfInterpreter.load(program(insn(0x16, 0, 0, 0), insn(0x06, 0, 0, 0))));
        assertThrows(IllegalArgumentException.class, () -> BpfInterpreter.load(program(insn(0x07, 0, 0, 0), insn(0x06, 0, 0, 0))));  // tax
        assertThrows(IllegalArgumentException.class, () -> BpfInterpreter.load(program(insn(0x20, 0, 0, 2), insn(0x06, 0, 0, 0))));
        assertThrows(IllegalArgumentException.class, () -> BpfInterpreter.load(program(insn(0x20, 0, 0, 64), insn(0x06, 0, 0, 0))));
        assertThrows(IllegalArgumentException.class, () -> BpfInterpreter.load(program(insn(0x20, 0, 0, 0))));
        assertThrows(IllegalArgumentException.class, () -> BpfInterpreter.load(new byte[12]));
        assertThrows(IllegalArgumentException.class, () -> BpfInterpreter.load(new byte[0]));
    }

    /** ld [offset]; jeq #expected, 0, 1; ret #1; ret #0. */
    private static int loadEquals(int offset, int expected) {
        byte[] bytes = program(insn(0x20, 0, 0, offset), insn(0x15, 0, 1, expected), insn(0x06, 0, 0, 1), insn(0x06, 0, 0, 0));
        return BpfInterpreter.load(bytes).run(DATA);
    }

    private static long insn(int code, int jt, int jf, int k) {
        return ((long) code << 48) | ((long) jt << 40) | ((long) jf << 32) | (k & 0xFFFF_FFFFL);
    }

    private static byte[] program(long... instructions) {
        ByteBuffer buffer = ByteBuffer.allocate(instructions.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long insn : instructions) {
            buffer.putShort((short) (insn >>> 48)).put((byte) (insn >>> 40)).put((byte) (insn >>> 32)).putInt((int) insn);
        }
        return buffer.array();
    }
}
