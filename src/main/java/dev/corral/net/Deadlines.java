package dev.corral.net;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Closes connections whose peer went quiet while the proxy waited for it to speak (a greeting, a
 * request head, a TLS hello), so a client that connects and never speaks holds nothing for long.
 */
final class Deadlines implements AutoCloseable {
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "corral-proxy-deadlines");
        t.setDaemon(true);
        return t;
    });

    Deadlines() {
        timer.setRemoveOnCancelPolicy(true); // a connection that spoke in time leaves nothing queued behind
    }

    /** Runs {@code onExpiry} after {@code timeout} unless the returned handle is closed first. */
    Handle start(Duration timeout, Runnable onExpiry) {
        ScheduledFuture<?> future = timer.schedule(onExpiry, timeout.toMillis(), TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    interface Handle extends AutoCloseable {
        @Override
        void close();
    }
}
