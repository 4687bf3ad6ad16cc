package dev.corral.host.terminal;

import dev.corral.host.Libc;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TerminalsTest {

    @Test
    void aPtyIsATerminalAndDevNullIsNot() {
        try (Pty pty = Pty.open()) {
            assertTrue(Terminals.isTerminal(pty.masterFd()));
        }
        int devNull = Libc.open("/dev/null", Libc.O_RDWR | Libc.O_CLOEXEC);
        try {
            assertFalse(Terminals.isTerminal(devNull));
            assertEquals(Optional.empty(), Terminals.windowSize(devNull));
        } finally {
            Libc.close(devNull);
        }
    }

    @Test
    void aNewPtyHasNoKnownSizeUntilOneIsSet() {
        try (Pty pty = Pty.open()) {
            assertEquals(Optional.empty(), Terminals.windowSize(pty.masterFd()));
            pty.setWindowSize(new WindowSize(50, 132));
            assertEquals(Optional.of(new WindowSize(50, 132)), Terminals.windowSize(pty.masterFd()));
        }
    }

    @Test
    void aClosedDescriptorIsNoTerminal() {
        assertFalse(Terminals.isTerminal(-1));
        assertEquals(Optional.empty(), Terminals.windowSize(-1));
    }
}
