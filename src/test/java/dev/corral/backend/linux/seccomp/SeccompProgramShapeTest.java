package dev.corral.backend.linux.seccomp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The bytes themselves: size limits, jump ranges, encoding, determinism, rejected rule lists. */
class SeccompProgramShapeTest {

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void programFitsTheKernelLimitAndIsEightBytesPerInstruction(Architecture arch) {
        byte[] bytes = SeccompProgram.compile(arch);
        assertEquals(0, bytes.length % 8);
        int instructions = bytes.length / 8;
        assertTrue(instructions <= SeccompProgram.MAX_INSTRUCTIONS, instructions + " instructions");
        assertEquals(SeccompProgram.assemble(arch, SeccompRules.rules()).size(), instructions);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void everyJumpFitsInAByteAndLandsInsideTheProgram(Architecture arch) {
        List<BpfInterpreter.Insn> program = BpfInterpreter.load(SeccompProgram.compile(arch)).instructions();
        for (int pc = 0; pc < program.size(); pc++) {
            BpfInterpreter.Insn insn = program.get(pc);
            assertTrue(insn.jt() <= 255 && insn.jf() <= 255);
            if ((insn.code() & 0x07) == 0x05) {  // BPF_JMP
                assertTrue(pc + 1 + Math.max(insn.jt(), insn.jf()) < program.size(), "jump at pc " + pc);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void programReadsOnlyAlignedWordsOfSeccompDataAndEndsInReturn(Architecture arch) {
        List<BpfInterpreter.Insn> program = BpfInterpreter.load(SeccompProgram.compile(arch)).instructions();
        program.stream().filter(insn -> insn.code() == 0x20).forEach(load -> {
            assertTrue(load.k() >= 0 && load.k() <= 60 && load.k() % 4 == 0, "load at " + load.k());
            assertTrue(load.k() != 8 && load.k() != 12, "the filter has no business with the instruction pointer");
            assertTrue(load.k() < 16 || (load.k() - 16) % 8 == 0, "only low words of arguments: " + load.k());
        });
        assertEquals(0x06, program.getLast().code());
        assertEquals(Action.ALLOW.seccompReturnValue(), program.getLast().k());
    }

    @Test
    void encodingIsLittleEndianEightBytesPerInstruction() {
        byte[] bytes = SeccompProgram.compile(Architecture.X86_64);
        // ld [4]: code 0x0020, jt 0, jf 0, k 4
        assertArrayEquals(new byte[] {0x20, 0, 0, 0, 4, 0, 0, 0}, Arrays.copyOfRange(bytes, 0, 8));
        // jeq #AUDIT_ARCH_X86_64, 1, 0: code 0x0015, k 0xC000003E
        assertArrayEquals(new byte[] {0x15, 0, 1, 0, 0x3E, 0, 0, (byte) 0xC0}, Arrays.copyOfRange(bytes, 8, 16));
        // ret #SECCOMP_RET_ERRNO|EPERM: code 0x0006, k 0x00050001
        assertArrayEquals(new byte[] {0x06, 0, 0, 0, 1, 0, 5, 0}, Arrays.copyOfRange(bytes, 16, 24));
        // last: ret #SECCOMP_RET_ALLOW, k 0x7fff0000
        assertArrayEquals(new byte[] {0x06, 0, 0, 0, 0, 0, (byte) 0xFF, 0x7F}, Arrays.copyOfRange(bytes, bytes.length - 8, bytes.length));
    }

    @Test
    void aarch64ProgramChecksItsOwnArchitecture() {
        byte[] bytes = SeccompProgram.compile(Architecture.AARCH64);
        assertArrayEquals(new byte[] {0x15, 0, 1, 0, (byte) 0xB7, 0, 0, (byte) 0xC0}, Arrays.copyOfRange(bytes, 8, 16));
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void compilingTwiceGivesTheSameBytes(Architecture arch) {
        assertArrayEquals(SeccompProgram.compile(arch), SeccompProgram.compile(arch));
    }

    @Test
    void actionsEncodeAsTheKernelExpects() {
        assertEquals(0x7fff0000, Action.ALLOW.seccompReturnValue());
        assertEquals(0x00050001, Action.ERRNO_EPERM.seccompReturnValue());
        assertEquals(0x00050026, Action.ERRNO_ENOSYS.seccompReturnValue());
    }

    @Test
    void aRuleListNamingTheSameSyscallTwiceIsRejected() {
        List<SyscallRule> rules = List.of(SyscallRule.deny("ptrace"), SyscallRule.always("ptrace", Action.ERRNO_ENOSYS));
        assertThrows(IllegalArgumentException.class, () -> SeccompProgram.compile(Architecture.X86_64, rules));
    }

    @Test
    void aRuleNamingASyscallNoArchitectureKnowsIsRejected() {
        List<SyscallRule> rules = List.of(SyscallRule.deny("ptrac"));
        var error = assertThrows(IllegalArgumentException.class, () -> SeccompProgram.compile(Architecture.AARCH64, rules));
        assertTrue(error.getMessage().contains("ptrac"));
    }

    @Test
    void aRuleForASyscallTheArchitectureLacksIsSkippedThere() {
        List<SyscallRule> rules = List.of(SyscallRule.deny("iopl"));
        assertEquals(5, SeccompProgram.assemble(Architecture.AARCH64, rules).size());  // prologue + ret ALLOW
        assertEquals(9, SeccompProgram.assemble(Architecture.X86_64, rules).size());   // + x32 check + block
    }

    @Test
    void aConditionWithTheLargestValueListStillHasShortJumps() {
        long[] values = new long[ArgCondition.MAX_VALUES];
        Arrays.setAll(values, i -> 100 + i);
        List<SyscallRule> rules = new ArrayList<>();
        rules.add(SyscallRule.denyWhen("socket", ArgCondition.noneOf(0, values)));
        rules.add(SyscallRule.denyWhen("ioctl", ArgCondition.oneOf(1, values)));
        BpfInterpreter program = BpfInterpreter.load(SeccompProgram.compile(Architecture.X86_64, rules));
        int socket = 41;
        int ioctl = 16;
        for (long value : values) {
            Filters.assertVerdict(Action.ALLOW, program.run(SeccompData.call(Architecture.X86_64, socket, value)), value);
            Filters.assertVerdict(Action.ERRNO_EPERM, program.run(SeccompData.call(Architecture.X86_64, ioctl, 0, value)), value);
        }
        Filters.assertVerdict(Action.ERRNO_EPERM, program.run(SeccompData.call(Architecture.X86_64, socket, 99)), 99);
        Filters.assertVerdict(Action.ALLOW, program.run(SeccompData.call(Architecture.X86_64, ioctl, 0, 99)), 99);
    }

    @Test
    void conditionsRefuseValuesThatDoNotFitTheLowWord() {
        assertThrows(IllegalArgumentException.class, () -> ArgCondition.oneOf(1, 0x1_0000_5412L));
        assertThrows(IllegalArgumentException.class, () -> ArgCondition.anyBitSet(0, 0));
        assertThrows(IllegalArgumentException.class, () -> ArgCondition.noneOf(6, 1));
        assertThrows(IllegalArgumentException.class, () -> ArgCondition.noneOf(0));
        assertThrows(IllegalArgumentException.class, () -> ArgCondition.noneOf(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new SyscallRule("Bad Name", Action.ERRNO_EPERM, Optional.empty()));
    }
}
