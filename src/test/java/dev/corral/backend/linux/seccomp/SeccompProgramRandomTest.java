package dev.corral.backend.linux.seccomp;

import static dev.corral.backend.linux.seccomp.Filters.assertVerdict;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Seeded random inputs: the filter must agree with the rules' plain-Java meaning everywhere. */
class SeccompProgramRandomTest {

    private static final int MAX_SYSCALL = 500;
    private static final int ROUNDS = 20_000;

    static Stream<Arguments> architecturesAndSeeds() {
        return Stream.of(Architecture.values())
                .flatMap(arch -> Stream.of(1L, 42L, 0xC0FFEEL, 20_250_101L).map(seed -> Arguments.of(arch, seed)));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("architecturesAndSeeds")
    void everySyscallWithoutARuleIsAllowedWithRandomArgs(Architecture arch, long seed) {
        RandomGenerator random = new Random(seed);
        Set<Integer> ruled = SeccompRules.rules().stream()
                .map(rule -> arch.syscallNumber(rule.syscall()))
                .filter(number -> number.isPresent())
                .map(number -> number.getAsInt())
                .collect(Collectors.toSet());
        for (int nr = 0; nr <= MAX_SYSCALL; nr++) {
            if (ruled.contains(nr)) continue;
            for (int i = 0; i < 8; i++) {
                SeccompData data = SeccompData.call(arch, nr, randomArgs(random));
                assertVerdict(Action.ALLOW, Filters.run(arch, data), data);
            }
        }
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("architecturesAndSeeds")
    void compiledFilterAgreesWithTheRulesOnRandomCalls(Architecture arch, long seed) {
        RandomGenerator random = new Random(seed);
        Map<Integer, SyscallRule> ruleByNumber = new HashMap<>();
        for (SyscallRule rule : SeccompRules.rules()) {
            arch.syscallNumber(rule.syscall()).ifPresent(nr -> ruleByNumber.put(nr, rule));
        }
        Integer[] ruledNumbers = ruleByNumber.keySet().toArray(Integer[]::new);
        for (int i = 0; i < ROUNDS; i++) {
            // Half the calls hit a ruled syscall, so the conditional blocks get exercised too.
            int nr = random.nextBoolean() ? ruledNumbers[random.nextInt(ruledNumbers.length)] : random.nextInt(MAX_SYSCALL + 1);
            long[] args = randomArgs(random);
            SyscallRule rule = ruleByNumber.get(nr);
            Action expected = rule == null ? SeccompRules.DEFAULT_ACTION : rule.decide(args, SeccompRules.DEFAULT_ACTION);
            SeccompData data = SeccompData.call(arch, nr, args);
            assertVerdict(expected, Filters.run(arch, data), data);
        }
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("architecturesAndSeeds")
    void anyArchitectureValueButTheNativeOneIsDenied(Architecture arch, long seed) {
        RandomGenerator random = new Random(seed);
        for (int i = 0; i < ROUNDS / 10; i++) {
            int foreign = random.nextInt();
            if (foreign == arch.auditArch()) continue;
            SeccompData data = new SeccompData(random.nextInt(MAX_SYSCALL + 1), foreign, random.nextLong(), randomArgs(random));
            assertEquals(Action.ERRNO_EPERM.seccompReturnValue(), Filters.run(arch, data), data::toString);
        }
    }

    /** Arguments biased towards the values the rules care about: small numbers, single flags, high garbage. */
    private static long[] randomArgs(RandomGenerator random) {
        long[] args = new long[6];
        for (int i = 0; i < args.length; i++) {
            long low = switch (random.nextInt(6)) {
                case 0 -> random.nextInt(48);                          // socket domains, personalities
                case 1 -> 1L << random.nextInt(32);                    // one flag
                case 2 -> 0x5400 + random.nextInt(0x40);               // tty ioctls
                case 3 -> SeccompRules.ALLOWED_PERSONALITIES.get(random.nextInt(5));
                default -> random.nextInt() & 0xFFFF_FFFFL;
            };
            long high = random.nextInt(3) == 0 ? random.nextLong() & 0xFFFF_FFFF_0000_0000L : 0;
            args[i] = high | low;
        }
        return args;
    }
}
