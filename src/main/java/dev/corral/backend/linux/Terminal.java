package dev.corral.backend.linux;

import dev.corral.host.terminal.ConsoleLog;
import dev.corral.host.terminal.DetachedConsole;
import dev.corral.host.terminal.Pty;
import dev.corral.host.terminal.TerminalRelay;
import dev.corral.sandbox.Command;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The sandbox's side of the user's terminal: for an interactive launch a pseudo-terminal of its
 * own, relayed to the user's; for a detached one, a pseudo-terminal kept by the supervisor for
 * whoever attaches, its output logged; otherwise nothing, and the caller's descriptors pass
 * straight through.
 */
public final class Terminal implements AutoCloseable {
    private static final Terminal NONE = new Terminal(null, null, null);
    private final Pty pty;
    private final TerminalRelay relay;
    private final DetachedConsole console;

    private Terminal(Pty pty, TerminalRelay relay, DetachedConsole console) {
        this.pty = pty;
        this.relay = relay;
        this.console = console;
    }

    public static Terminal open(Command command) {
        if (command.console().isEmpty()) return open(command.interactive());
        Command.Console where = command.console().get();
        Pty pty = Pty.open();
        try {
            return new Terminal(pty, null, DetachedConsole.start(pty, where.socket(), ConsoleLog.open(where.log())));
        } catch (RuntimeException e) {
            pty.close();
            throw e;
        }
    }

    public static Terminal open(boolean interactive) {
        if (!interactive) return NONE;
        Pty pty = Pty.open();
        try {
            return new Terminal(pty, TerminalRelay.start(pty), null);
        } catch (RuntimeException e) {
            pty.close();
            throw e;
        }
    }

    /** The pseudo-terminal, when the sandbox has one. */
    public java.util.Optional<Pty> pty() {
        return java.util.Optional.ofNullable(pty);
    }

    /** The terminal the sandbox's standard streams open, or null to inherit the caller's. */
    public Path slave() {
        return pty == null ? null : pty.slavePath();
    }

    /** Waits until everything the sandbox wrote reached the user. */
    public void drain() {
        if (relay != null) relay.awaitOutput(Duration.ofSeconds(2));
        if (console != null) console.awaitOutput(Duration.ofSeconds(2));
    }

    /** The sandbox exited with {@code status}: attached clients are told so. */
    public void finish(int status) {
        if (console != null) console.finish(status);
    }

    @Override
    public void close() {
        if (relay != null) relay.close();
        if (console != null) console.close();
        if (pty != null) pty.close();
    }
}
