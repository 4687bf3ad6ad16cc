package dev.corral.host.terminal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;

/**
 * The reading side of a {@link ConsoleLog}, which another process may be writing and rotating
 * meanwhile. A file is known by its inode, not its name: rotation renames the current file, so a
 * reader that holds it open keeps reading the same bytes under the new name.
 */
final class ConsoleHistory {
    private static final long POLL_MILLIS = 100;
    private static final int SCAN_BYTES = 8 * 1024;

    private ConsoleHistory() {
    }

    static void print(Path log, OutputStream out, OptionalInt tailLines) throws IOException {
        try (Snapshot snapshot = Snapshot.of(log)) {
            snapshot.copy(tailLines, out);
        }
        out.flush();
    }

    static void follow(Path log, OutputStream out, OptionalInt tailLines, BooleanSupplier stillRunning) throws IOException {
        WritableByteChannel target = Channels.newChannel(out);
        OpenFile current;
        try (Snapshot snapshot = Snapshot.of(log)) {
            snapshot.copy(tailLines, out);
            out.flush();
            current = snapshot.takeCurrent();
        }
        Object finishedKey = null;
        try {
            while (true) {
                boolean running = stillRunning.getAsBoolean();
                if (current != null) current.copyNew(target);
                Object key = keyOf(log);
                if (key != null && (current == null || !key.equals(current.key))) {
                    if (current != null) {
                        current.copyNew(target); // the last bytes written before the rename
                        current.close();
                        finishedKey = current.key;
                    }
                    current = OpenFile.open(log);
                    copySkipped(log, finishedKey, current, target);
                    out.flush();
                    continue;
                }
                out.flush();
                if (!running || readerGone(out)) return;
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (current != null) current.close();
        }
    }

    /**
     * Copies the rotated file if it is neither the one just finished nor the new current one: the log
     * rotated twice since the last look, and that file was current in between. (Three times in one
     * look, over twice the cap in {@value #POLL_MILLIS} ms, loses the middle ones.)
     */
    private static void copySkipped(Path log, Object finishedKey, OpenFile current, WritableByteChannel target) throws IOException {
        try (OpenFile rotated = OpenFile.open(ConsoleLog.rotated(log))) {
            if (rotated == null || rotated.key.equals(finishedKey) || current != null && rotated.key.equals(current.key)) return;
            rotated.copyNew(target);
        }
    }

    /** Whether {@code out} is a print stream that failed: {@code corral logs -f | head} after head quit. */
    private static boolean readerGone(OutputStream out) {
        return out instanceof PrintStream print && print.checkError();
    }

    /** The inode-and-device key of the file at {@code path}, or null if there is none. */
    private static Object keyOf(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** A log file held open, with the key of what was opened and how far it has been copied. */
    private static final class OpenFile implements AutoCloseable {
        private final FileChannel channel;
        private final Object key;
        private long position;
        private final long snapshotSize;

        private OpenFile(FileChannel channel, Object key) throws IOException {
            this.channel = channel;
            this.key = key;
            this.snapshotSize = channel.size();
        }

        /**
         * Opens the file at {@code path}, or returns null if there is none. The key is read before and
         * after opening, so it is the opened file's even when a rotation renamed it in between.
         */
        static OpenFile open(Path path) throws IOException {
            while (true) {
                Object before = keyOf(path);
                if (before == null) return null;
                FileChannel channel;
                try {
                    channel = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException renamedMeanwhile) {
                    continue;
                }
                if (Objects.equals(before, keyOf(path))) return new OpenFile(channel, before);
                channel.close();
            }
        }

        void copyNew(WritableByteChannel target) throws IOException {
            position += copy(position, channel.size(), target);
        }

        long copy(long from, long to, WritableByteChannel target) throws IOException {
            long done = 0;
            while (from + done < to) {
                long n = channel.transferTo(from + done, to - from - done, target);
                if (n <= 0) break;
                done += n;
            }
            return done;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /**
     * The rotated file and the current one, as they were when opened: the sizes are fixed then, so
     * counting lines from the end and copying agree even while the supervisor appends.
     */
    private static final class Snapshot implements AutoCloseable {
        private final List<OpenFile> parts;

        private Snapshot(List<OpenFile> parts) {
            this.parts = parts;
        }

        /** The current file is opened first: if a rotation comes in between, both are the same file. */
        static Snapshot of(Path log) throws IOException {
            OpenFile current = OpenFile.open(log);
            OpenFile previous;
            try {
                previous = OpenFile.open(ConsoleLog.rotated(log));
            } catch (IOException | RuntimeException e) {
                if (current != null) current.close();
                throw e;
            }
            List<OpenFile> parts = new ArrayList<>();
            if (previous != null && current != null && previous.key.equals(current.key)) {
                previous.close();
                previous = null;
            }
            if (previous != null) parts.add(previous);
            if (current != null) parts.add(current);
            return new Snapshot(parts);
        }

        void copy(OptionalInt tailLines, OutputStream out) throws IOException {
            long start = tailLines.isPresent() ? startOfLast(tailLines.getAsInt()) : 0;
            WritableByteChannel target = Channels.newChannel(out);
            long partStart = 0;
            for (OpenFile part : parts) {
                long from = Math.max(0, start - partStart);
                if (from < part.snapshotSize) part.copy(from, part.snapshotSize, target);
                part.position = part.snapshotSize;
                partStart += part.snapshotSize;
            }
        }

        /**
         * The last part, for {@link ConsoleHistory#follow} to keep reading: the current file, or the
         * rotated one if the current was being replaced (follow then moves on to the new one).
         */
        OpenFile takeCurrent() {
            if (parts.isEmpty()) return null;
            return parts.removeLast();
        }

        /** Where the last {@code lines} lines begin, as an offset into the parts one after the other. */
        private long startOfLast(long lines) throws IOException {
            if (lines < 0) throw new IllegalArgumentException("a tail of " + lines + " lines");
            long total = parts.stream().mapToLong(p -> p.snapshotSize).sum();
            if (lines == 0) return total;
            ByteBuffer chunk = ByteBuffer.allocate(SCAN_BYTES);
            long end = total;
            if (end > 0 && byteAt(end - 1, chunk) == '\n') end--; // the last line's own end
            long newlines = 0;
            while (end > 0) {
                int length = (int) Math.min(SCAN_BYTES, end);
                read(end - length, length, chunk);
                for (int i = length - 1; i >= 0; i--) {
                    if (chunk.get(i) == '\n' && ++newlines == lines) return end - length + i + 1;
                }
                end -= length;
            }
            return 0;
        }

        private byte byteAt(long offset, ByteBuffer chunk) throws IOException {
            read(offset, 1, chunk);
            return chunk.get(0);
        }

        /** Reads {@code length} bytes at {@code offset} of the parts one after the other into {@code chunk}. */
        private void read(long offset, int length, ByteBuffer chunk) throws IOException {
            chunk.clear().limit(length);
            long partStart = 0;
            for (OpenFile part : parts) {
                long partEnd = partStart + part.snapshotSize;
                while (chunk.hasRemaining() && offset + chunk.position() < partEnd) {
                    long at = offset + chunk.position() - partStart;
                    int room = (int) Math.min(chunk.remaining(), part.snapshotSize - at);
                    ByteBuffer slice = chunk.slice(chunk.position(), room);
                    while (slice.hasRemaining()) {
                        if (part.channel.read(slice, at + slice.position()) < 0) throw new IOException("the console log shrank while being read");
                    }
                    chunk.position(chunk.position() + room);
                }
                partStart = partEnd;
            }
        }

        @Override
        public void close() throws IOException {
            for (OpenFile part : parts) part.close();
        }
    }
}
