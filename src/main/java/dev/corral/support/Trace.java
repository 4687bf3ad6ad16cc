package dev.corral.support;

/** Start-up tracing for performance work: {@code CORRAL_TRACE=1} prints milliseconds since JVM start. */
public final class Trace {
    private static final boolean ON = System.getenv("CORRAL_TRACE") != null;
    private static final long START = ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);

    private Trace() {
    }

    public static void mark(String what) {
        if (ON) System.err.println("corral-trace " + (System.currentTimeMillis() - START) + " ms " + what);
    }
}
