package dev.corral.backend.linux;

import dev.corral.host.terminal.Pty;
import dev.corral.host.terminal.TerminalRelay;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The sandbox's side of the user's terminal: for an interactive launch a pseudo-terminal of its
 * own, relayed to the user's; otherwise nothing, and the caller's descriptors pass straight through.
 */
final class Terminal implements AutoCloseable {
    private static final Terminal NONE = new Terminal(null, null);
    private final Pty pty;
    private final TerminalRelay relay;

    private Terminal(Pty pty, TerminalRelay relay) {
        this.pty = pty;
        this.relay = relay;
    }

    static Terminal open(boolean interactive) {
        if (!interactive) return NONE;
        Pty pty = Pty.open();
        try {
            return new Terminal(pty, TerminalRelay.start(pty));
        } catch (RuntimeException e) {
            pty.close();
            throw e;
        }
    }

    /** The terminal the sandbox's standard streams open, or null to inherit the caller's. */
    Path slave() {
        return pty == null ? null : pty.slavePath();
    }

    /** Waits until everything the sandbox wrote reached the user. */
    void drain() {
        if (relay != null) relay.awaitOutput(Duration.ofSeconds(2));
    }

    @Override
    public void close() {
        if (relay != null) relay.close();
        if (pty != null) pty.close();
    }
}
