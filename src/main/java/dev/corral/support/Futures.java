package dev.corral.support;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Work started ahead of need, such as reading the host while a request is worked out. */
public final class Futures {
    private Futures() {
    }

    /** The result, or the exception the task threw (a CorralException stays one). */
    public static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) throw cause;
            throw e;
        }
    }
}
