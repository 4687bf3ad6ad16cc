package dev.corral.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicLong;

/** Copies bytes one way until the end of the stream, counting them. */
final class Relay {
    static final int BUFFER = 64 * 1024;

    private Relay() {
    }

    /** Copies until the end of {@code in}; then signals the end to the other side. */
    static void copy(InputStream in, OutputStream out, AtomicLong counter, Runnable endOfStream) throws IOException {
        byte[] buffer = new byte[BUFFER];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            if (n == 0) continue;
            out.write(buffer, 0, n);
            out.flush();
            counter.addAndGet(n);
        }
        endOfStream.run();
    }
}
