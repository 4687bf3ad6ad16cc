package dev.corral.net.tls;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Closes a channel that took too long (a stalled handshake, a close the peer won't read). */
final class Watchdog {
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private Watchdog() {
    }

    /** Closes {@code target} after {@code delay} unless the returned future is cancelled first. */
    static ScheduledFuture<?> closeAfter(Closeable target, Duration delay) {
        return TIMER.schedule(() -> {
            try {
                target.close();
            } catch (IOException ignored) {
                // closing is all we could do
            }
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("corral-tls-watchdog").factory());
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
