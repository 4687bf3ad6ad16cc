package dev.corral.host.terminal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WindowSizeTest {

    @Test
    void acceptsEverySizeATerminalCanHave() {
        assertEquals(1, new WindowSize(1, 1).rows());
        assertEquals(65535, new WindowSize(65535, 65535).cols());
    }

    @Test
    void rejectsEmptyNegativeAndOversizedWindows() {
        assertThrows(IllegalArgumentException.class, () -> new WindowSize(0, 80));
        assertThrows(IllegalArgumentException.class, () -> new WindowSize(24, 0));
        assertThrows(IllegalArgumentException.class, () -> new WindowSize(-1, 80));
        assertThrows(IllegalArgumentException.class, () -> new WindowSize(24, 65536));
    }
}
