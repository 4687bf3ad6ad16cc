package dev.corral.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicLong;

/** Copies bytes one way until the end of the stream, counting them. */
final class Relay {
    static final int BUFFER = 256 * 1024;
    private static final int POOLED = 512;
    /** Direct buffers for channel-to-channel copies, kept for reuse: no copy through the heap, no allocation per connection. */
    private static final ConcurrentLinkedQueue<ByteBuffer> POOL = new ConcurrentLinkedQueue<>();

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

    /** Copies between channels through a direct buffer until the end of {@code from}; then signals the end. */
    static void channels(ReadableByteChannel from, WritableByteChannel to, AtomicLong counter, Runnable endOfStream) throws IOException {
        ByteBuffer buffer = POOL.poll();
        if (buffer == null) buffer = ByteBuffer.allocateDirect(BUFFER);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                int n = buffer.remaining();
                while (buffer.hasRemaining()) to.write(buffer);
                counter.addAndGet(n);
                buffer.clear();
            }
        } finally {
            buffer.clear();
            if (POOL.size() < POOLED) POOL.offer(buffer);
        }
        endOfStream.run();
    }

    static void writeFully(WritableByteChannel to, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) to.write(buffer);
    }
}
