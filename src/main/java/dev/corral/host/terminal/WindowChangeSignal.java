package dev.corral.host.terminal;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs an action on every SIGWINCH the JVM receives: the kernel sends it to the foreground process
 * group of the user's terminal when its window is resized. The action runs on a thread of the JVM's,
 * not in the signal handler.
 *
 * <p>{@code sun.misc.Signal} (module {@code jdk.unsupported}) is the JDK's only way to handle a
 * signal, and javac warns about every use of it, so it is named once: the handler is installed once
 * per JVM and calls whatever action is current. With no action it does nothing, which is what
 * SIGWINCH's default disposition does too.
 */
final class WindowChangeSignal implements AutoCloseable {
    private static final AtomicReference<Runnable> CURRENT = new AtomicReference<>();
    private static final boolean HANDLED = install();

    private final Runnable action;

    private WindowChangeSignal(Runnable action) {
        this.action = action;
    }

    /** Runs {@code action} on each SIGWINCH until closed; never, if the JVM keeps the signal (-Xrs). */
    static WindowChangeSignal onEach(Runnable action) {
        if (HANDLED) CURRENT.set(action);
        return new WindowChangeSignal(action);
    }

    /** Stops running the action (unless another one replaced it already). */
    @Override
    public void close() {
        CURRENT.compareAndSet(action, null);
    }

    private static boolean install() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), signal -> {
                Runnable action = CURRENT.get();
                if (action != null) action.run();
            });
            return true;
        } catch (IllegalArgumentException signalTakenByTheJvm) {
            return false;
        }
    }
}
