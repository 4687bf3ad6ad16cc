package dev.corral.backend.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.backend.linux.seccomp.ArgCondition;
import dev.corral.backend.linux.seccomp.Architecture;
import dev.corral.backend.linux.seccomp.SeccompRules;
import dev.corral.backend.linux.seccomp.SyscallRule;
import dev.corral.support.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The Docker profile, read back and run the way libseccomp runs it, must decide every call as the rules do. */
class SeccompProfileTest {

    private static final long HIGH_GARBAGE = 0xDEAD_BEEF_0000_0000L;
    private static final int EPERM = 1;
    private static final int ENOSYS = 38;

    static Stream<Arguments> architecturesAndSeeds() {
        return Stream.of(Architecture.values())
                .flatMap(arch -> Stream.of(1L, 42L, 0xC0FFEEL).map(seed -> Arguments.of(arch, seed)));
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void listsOnlyTheNativeArchitectureSoForeignAbisAndX32AreRefused(Architecture arch) {
        String expected = arch == Architecture.X86_64 ? "SCMP_ARCH_X86_64" : "SCMP_ARCH_AARCH64";
        assertEquals(List.of(expected), Json.parseObject(SeccompProfile.json(arch)).get("architectures"));
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void allowsWhatNoRuleNames(Architecture arch) {
        Map<String, Object> profile = Json.parseObject(SeccompProfile.json(arch));
        assertEquals("SCMP_ACT_ALLOW", profile.get("defaultAction"));
        assertFalse(profile.containsKey("defaultErrnoRet"));
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void isTheSameTextEveryTime(Architecture arch) {
        assertEquals(SeccompProfile.json(arch), SeccompProfile.json(arch));
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void namesEverySyscallOfTheRulesTheArchitectureKnowsAndNoOther(Architecture arch) {
        Set<String> expected = SeccompRules.rules().stream().map(SyscallRule::syscall)
                .filter(syscall -> arch.syscallNumber(syscall).isPresent())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> named = new Profile(arch).entries.stream().flatMap(entry -> names(entry).stream())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, named);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void everyComparisonLooksAtTheLowWordOfOneArgumentOnly(Architecture arch) {
        for (Map<String, Object> entry : new Profile(arch).entries) {
            List<Map<String, Object>> args = args(entry);
            // runc splits an entry comparing one argument twice into ORed rules: never rely on that
            assertTrue(args.size() <= 1, entry::toString);
            for (Map<String, Object> comparison : args) {
                assertEquals("SCMP_CMP_MASKED_EQ", comparison.get("op"));
                long mask = (Long) comparison.get("value");
                long datum = (Long) comparison.get("valueTwo");
                assertEquals(0, mask & ~0xFFFF_FFFFL, entry::toString);
                assertEquals(datum, datum & mask, entry::toString);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void decidesEveryRuleAsTheRulesDoAtTheEdges(Architecture arch) {
        Profile profile = new Profile(arch);
        RandomGenerator random = new Random(7);
        for (SyscallRule rule : knownRules(arch)) {
            for (long low : edgeValues(rule)) {
                for (long high : new long[] {0, HIGH_GARBAGE, 0xFFFF_FFFF_0000_0000L}) {
                    long[] args = randomArgs(random);
                    rule.condition().ifPresent(condition -> args[condition.argIndex()] = high | low);
                    assertAgrees(profile, rule, args);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("architecturesAndSeeds")
    void decidesRandomCallsAsTheRulesDo(Architecture arch, long seed) {
        Profile profile = new Profile(arch);
        List<SyscallRule> rules = knownRules(arch);
        RandomGenerator random = new Random(seed);
        for (int i = 0; i < 20_000; i++) {
            assertAgrees(profile, rules.get(random.nextInt(rules.size())), randomArgs(random));
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void ordinaryCallsAreAllowed(Architecture arch) {
        Profile profile = new Profile(arch);
        long sockStream = 1;
        long cloneThread = 0x003D_0F00L; // what pthread_create passes
        long sigchld = 17;
        long tcgets = 0x5401;
        assertAllowed(profile, arch, "socket", SeccompRules.AF_INET, sockStream, 0);
        assertAllowed(profile, arch, "socket", SeccompRules.AF_INET6, sockStream, 0);
        assertAllowed(profile, arch, "socket", SeccompRules.AF_UNIX, sockStream, 0);
        assertAllowed(profile, arch, "socketpair", SeccompRules.AF_UNIX, sockStream, 0);
        assertAllowed(profile, arch, "clone", cloneThread, 0);
        assertAllowed(profile, arch, "clone", sigchld, 0);
        assertAllowed(profile, arch, "chmod", 0, 0755);
        assertAllowed(profile, arch, "fchmodat", -100, 0, 0755);
        assertAllowed(profile, arch, "openat", -100, 0, 0x241, 0644);
        assertAllowed(profile, arch, "ioctl", 0, tcgets);
        for (long persona : SeccompRules.ALLOWED_PERSONALITIES) {
            assertAllowed(profile, arch, "personality", persona);
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void refusesWhatTheRulesRefuseWithTheirErrno(Architecture arch) {
        Profile profile = new Profile(arch);
        assertEquals(OptionalInt.of(EPERM), profile.errno("socket", 16, 3, 0)); // AF_NETLINK
        assertEquals(OptionalInt.of(EPERM), profile.errno("clone", SeccompRules.CLONE_NEWUSER | 17, 0));
        assertEquals(OptionalInt.of(EPERM), profile.errno("ioctl", 0, HIGH_GARBAGE | SeccompRules.TIOCSTI));
        assertEquals(OptionalInt.of(EPERM), profile.errno("fchmodat", -100, 0, 04755));
        assertEquals(OptionalInt.of(EPERM), profile.errno("personality", 0x0040_0000)); // READ_IMPLIES_EXEC
        assertEquals(OptionalInt.of(EPERM), profile.errno("keyctl", 0));
        assertEquals(OptionalInt.of(ENOSYS), profile.errno("clone3", 0, 88));
        assertEquals(OptionalInt.of(ENOSYS), profile.errno("openat2", -100, 0, 0, 24));
    }

    private static void assertAgrees(Profile profile, SyscallRule rule, long[] args) {
        OptionalInt expected = rule.decide(args, SeccompRules.DEFAULT_ACTION).errno();
        assertEquals(expected, profile.errno(rule.syscall(), args),
                () -> rule + " with " + Arrays.toString(args));
    }

    private static void assertAllowed(Profile profile, Architecture arch, String syscall, long... args) {
        if (arch.syscallNumber(syscall).isEmpty()) return;
        assertEquals(OptionalInt.empty(), profile.errno(syscall, args), syscall);
    }

    private static List<SyscallRule> knownRules(Architecture arch) {
        return SeccompRules.rules().stream().filter(rule -> arch.syscallNumber(rule.syscall()).isPresent()).toList();
    }

    /** Low words where a translation would go wrong first: each listed value and its neighbours, each bit. */
    private static List<Long> edgeValues(SyscallRule rule) {
        List<Long> edges = new ArrayList<>(List.of(0L, 1L, 0xFFFF_FFFFL, 0xFFFF_FFFEL, 0x8000_0000L));
        for (int bit = 0; bit < 32; bit++) edges.add(1L << bit);
        rule.condition().ifPresent(condition -> {
            List<Long> values = switch (condition) {
                case ArgCondition.AnyBitSet anyBitSet -> List.of(anyBitSet.mask(), ~anyBitSet.mask() & 0xFFFF_FFFFL);
                case ArgCondition.OneOf oneOf -> oneOf.values();
                case ArgCondition.NoneOf noneOf -> noneOf.values();
            };
            for (long value : values) {
                edges.addAll(List.of(value, (value - 1) & 0xFFFF_FFFFL, (value + 1) & 0xFFFF_FFFFL));
            }
        });
        return edges;
    }

    /** Arguments biased towards what the rules care about: small numbers, single flags, high garbage. */
    private static long[] randomArgs(RandomGenerator random) {
        long[] args = new long[6];
        for (int i = 0; i < args.length; i++) {
            long low = switch (random.nextInt(6)) {
                case 0 -> random.nextInt(48);
                case 1 -> 1L << random.nextInt(32);
                case 2 -> 0x5400 + random.nextInt(0x40);
                case 3 -> SeccompRules.ALLOWED_PERSONALITIES.get(random.nextInt(SeccompRules.ALLOWED_PERSONALITIES.size()));
                default -> random.nextInt() & 0xFFFF_FFFFL;
            };
            long high = random.nextInt(3) == 0 ? random.nextLong() & 0xFFFF_FFFF_0000_0000L : 0;
            args[i] = high | low;
        }
        return args;
    }

    @SuppressWarnings("unchecked")
    private static List<String> names(Map<String, Object> entry) {
        return (List<String>) entry.get("names");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> args(Map<String, Object> entry) {
        return (List<Map<String, Object>>) entry.getOrDefault("args", List.of());
    }

    /**
     * The profile as runc and libseccomp apply it to a native call: the entries naming the syscall are
     * ORed, an entry's comparisons ANDed (ORed if two look at the same argument, as runc splits those),
     * every comparison on all 64 bits; no entry matching means the default action, which is allow.
     */
    private static final class Profile {
        final List<Map<String, Object>> entries;

        @SuppressWarnings("unchecked")
        Profile(Architecture arch) {
            entries = (List<Map<String, Object>>) Json.parseObject(SeccompProfile.json(arch)).get("syscalls");
        }

        /** The errno the call fails with, or empty if it is allowed. */
        OptionalInt errno(String syscall, long... callArgs) {
            long[] args = Arrays.copyOf(callArgs, 6);
            Set<Long> errnos = entries.stream()
                    .filter(entry -> names(entry).contains(syscall) && matches(args(entry), args))
                    .map(entry -> {
                        assertEquals("SCMP_ACT_ERRNO", entry.get("action"), entry::toString);
                        return (Long) entry.get("errnoRet");
                    })
                    .collect(Collectors.toSet());
            assertTrue(errnos.size() <= 1, () -> syscall + " matches entries with different errnos " + errnos);
            return errnos.stream().mapToInt(Long::intValue).findFirst();
        }

        private static boolean matches(List<Map<String, Object>> comparisons, long[] args) {
            boolean oneArgumentTwice = comparisons.stream().map(c -> c.get("index")).distinct().count() < comparisons.size();
            return oneArgumentTwice
                    ? comparisons.stream().anyMatch(c -> holds(c, args))
                    : comparisons.stream().allMatch(c -> holds(c, args));
        }

        private static boolean holds(Map<String, Object> comparison, long[] args) {
            long arg = args[((Long) comparison.get("index")).intValue()];
            long value = (Long) comparison.get("value");
            long valueTwo = (Long) comparison.getOrDefault("valueTwo", 0L);
            return switch ((String) comparison.get("op")) {
                case "SCMP_CMP_MASKED_EQ" -> (arg & value) == valueTwo;
                case "SCMP_CMP_EQ" -> arg == value;
                case "SCMP_CMP_NE" -> arg != value;
                case "SCMP_CMP_LT" -> Long.compareUnsigned(arg, value) < 0;
                case "SCMP_CMP_LE" -> Long.compareUnsigned(arg, value) <= 0;
                case "SCMP_CMP_GT" -> Long.compareUnsigned(arg, value) > 0;
                case "SCMP_CMP_GE" -> Long.compareUnsigned(arg, value) >= 0;
                default -> throw new AssertionError("unknown op in " + comparison);
            };
        }
    }
}
