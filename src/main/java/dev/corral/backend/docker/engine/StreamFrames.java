package dev.corral.backend.docker.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Splits the engine's multiplexed stream of a process without a terminal: each frame is a
 * one-byte stream number (1 stdout, 2 stderr), three zero bytes, a four-byte big-endian length and
 * the data.
 */
public final class StreamFrames {
    private StreamFrames() {
    }

    /** Copies every frame to its stream until the process's output ends. */
    public static void copy(InputStream in, OutputStream stdout, OutputStream stderr) throws IOException {
        byte[] header = new byte[8];
        byte[] buffer = new byte[65536];
        while (in.readNBytes(header, 0, 8) == 8) {
            long length = ((header[4] & 0xffL) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
            OutputStream target = header[0] == 2 ? stderr : stdout;
            while (length > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, length));
                if (n < 0) return;
                target.write(buffer, 0, n);
                length -= n;
            }
            target.flush();
        }
    }
}
