package dev.corral.app;

import dev.corral.net.Decision;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Tells the user at once when the sandbox was refused a connection, so "why can't my agent reach
 * X" has an answer — one line per host and port a minute at most, and a handful a minute overall.
 */
final class DenialNotices implements Decision.Sink {
    private static final long QUIET_NANOS = 60_000_000_000L;
    private static final int PER_MINUTE = 6;
    private final Consumer<String> notices;
    private final String sandbox;
    private final Map<String, Long> lastShown = new HashMap<>();
    private long windowStart = System.nanoTime();
    private int shownInWindow;
    private int suppressed;

    DenialNotices(Consumer<String> notices, String sandbox) {
        this.notices = notices;
        this.sandbox = sandbox;
    }

    @Override
    public void record(Decision decision) {
        String warning = decision.warnings().isEmpty() ? null : decision.warnings().getFirst();
        if (decision.allowed() && warning == null) return;
        String line = decision.allowed()
                ? warning + " (" + decision.host() + ":" + decision.port() + ")"
                : "denied " + decision.host() + ":" + decision.port() + " ("
                + (decision.reason().isEmpty() ? decision.rule() : decision.reason() + " [" + decision.rule() + "]")
                + "); allow it with: corral policy allow " + decision.host() + " --sandbox " + sandbox;
        String key = decision.host() + ":" + decision.port() + (decision.allowed() ? " warning" : "");
        synchronized (this) {
            long now = System.nanoTime();
            if (now - windowStart > QUIET_NANOS) {
                if (suppressed > 0) notices.accept(suppressed + " more network denials; see: corral net log " + sandbox);
                windowStart = now;
                shownInWindow = 0;
                suppressed = 0;
            }
            Long last = lastShown.get(key);
            if ((last != null && now - last < QUIET_NANOS) || shownInWindow >= PER_MINUTE) {
                suppressed++;
                return;
            }
            lastShown.put(key, now);
            shownInWindow++;
        }
        notices.accept(line);
    }
}
