package dev.corral.host.terminal;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The end of one of the terminal code's threads, waited for with a timeout. */
final class Ended {
    private Ended() {
    }

    /** Waits for {@code ended} to reach zero; false on timeout or interrupt (the interrupt is kept). */
    static boolean await(CountDownLatch ended, Duration timeout) {
        try {
            return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
