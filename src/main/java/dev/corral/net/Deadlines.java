package dev.corral.net;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes connections whose peer went quiet while the proxy waited for it to speak (a greeting, a
 * request head, a TLS hello), so a client that connects and never speaks holds nothing for long.
 */
final class Deadlines implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "corral-proxy-deadlines");
        t.setDaemon(true);
        return t;
    });

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
