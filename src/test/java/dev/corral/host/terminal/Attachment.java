package dev.corral.host.terminal;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A {@link ConsoleClient} attached on a thread of the test's, its output collected as its screen.
 * Its input descriptor must stay open until it ends: a test closes its consoles, then waits for
 * {@link #awaitAllEnded}, then closes the descriptors (else a client still polling one would read
 * from whatever the next test opens under the same number).
 */
final class Attachment {
    private static final Set<Attachment> RUNNING = ConcurrentHashMap.newKeySet();

    private final Screen screen = new Screen();
    private final CompletableFuture<ConsoleClient.Outcome> outcome = new CompletableFuture<>();

    private Attachment() {
    }

    static Attachment start(Path socket, int in, Supplier<Optional<WindowSize>> windowSize) {
        return start(socket, DetachKeys.DEFAULT, in, windowSize);
    }

    static Attachment start(Path socket, DetachKeys keys, int in, Supplier<Optional<WindowSize>> windowSize) {
        Attachment attachment = new Attachment();
        RUNNING.add(attachment);
        Thread.ofPlatform().name("test-attach").daemon().start(() -> {
            try {
                attachment.outcome.complete(ConsoleClient.attach(socket, keys, in, attachment.screen, windowSize));
            } catch (Throwable t) {
                attachment.outcome.completeExceptionally(t);
            } finally {
                RUNNING.remove(attachment);
            }
        });
        return attachment;
    }

    /** Waits until every client attached so far has ended, however; call it once their consoles are closed. */
    static void awaitAllEnded(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!RUNNING.isEmpty()) {
            if (System.nanoTime() > deadline) throw new AssertionError(RUNNING.size() + " clients still attached");
            Thread.sleep(5);
        }
    }

    ConsoleClient.Outcome outcome(Duration timeout) throws Exception {
        return outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean ended() {
        return outcome.isDone();
    }

    String text() {
        return screen.text();
    }

    int bytes() {
        return screen.size();
    }

    void awaitText(String expected, Duration timeout) throws InterruptedException {
        screen.awaitText(expected, timeout);
    }

    /** Everything the client printed; waits can be told what to look for. */
    static final class Screen extends OutputStream {
        private byte[] data = new byte[8192];
        private int size;

        @Override
        public synchronized void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            if (size + len > data.length) data = Arrays.copyOf(data, Math.max(size + len, data.length * 2));
            System.arraycopy(b, off, data, size, len);
            size += len;
            notifyAll();
        }

        synchronized String text() {
            return new String(data, 0, size, StandardCharsets.UTF_8);
        }

        synchronized int size() {
            return size;
        }

        /**
         * Waits until the screen shows {@code expected}, looking at each byte about once and copying
         * nothing: a slow screen would make its client fall behind, and be dropped.
         */
        synchronized void awaitText(String expected, Duration timeout) throws InterruptedException {
            byte[] wanted = expected.getBytes(StandardCharsets.UTF_8);
            long deadline = System.nanoTime() + timeout.toNanos();
            int from = 0;
            while (true) {
                for (int i = from; i + wanted.length <= size; i++) {
                    if (Arrays.equals(data, i, i + wanted.length, wanted, 0, wanted.length)) return;
                }
                from = Math.max(0, size - wanted.length + 1);
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("no \"" + expected + "\" on the client's screen:\n" + tail(text()));
                wait(Math.max(1, left / 1_000_000));
            }
        }

        private static String tail(String text) {
            return text.substring(Math.max(0, text.length() - 400));
        }
    }
}
