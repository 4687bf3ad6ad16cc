package dev.corral.host.cgroup;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CgroupNamesTest {

    @Test
    void instanceNameIsTheSandboxNameAndARandomSuffix() {
        String first = CgroupNames.instance("claude-my.project");
        String second = CgroupNames.instance("claude-my.project");

        assertTrue(first.matches("claude-my\\.project-[0-9a-f]{8}"), first);
        assertNotEquals(first, second);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "..", "../etc", "a/b", ".hidden", "-x", "Upper", "a b", "a\nb"})
    void namesThatCouldLeaveTheCorralDirectoryAreRejected(String name) {
        assertThrows(IllegalArgumentException.class, () -> CgroupNames.instance(name));
    }

    @Test
    void overlongNamesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> CgroupNames.instance("a".repeat(201)));
    }
}
