package dev.corral.host.terminal;

import dev.corral.host.HostException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * What a detached sandbox wrote to its terminal, kept on disk for {@code corral logs}: raw bytes,
 * escape sequences included, as {@code docker logs} shows a container that has a tty.
 *
 * <p>The file is capped: once it passes the cap it becomes {@code NAME.1} (replacing the one
 * before) and a new file begins, so an agent printing forever holds at most about twice the cap on
 * disk and {@code corral logs} still has the latest cap's worth in full. The file is created
 * {@code 0600}: a terminal shows what the user typed, passwords the program did not echo aside.
 * A sandbox run again under the same name appends, as a restarted container's log does.
 *
 * <p>Writing is for one thread (the console's pump); reading ({@link #print}, {@link #follow}) is
 * for any process, at any time, while the supervisor writes and rotates.
 */
public final class ConsoleLog implements AutoCloseable {
    /** 8 MiB: hours of an agent's screen updates, tiny on any disk. */
    public static final long DEFAULT_CAP_BYTES = 8L * 1024 * 1024;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path file;
    private final long capBytes;
    private FileChannel channel;
    private long size;

    private ConsoleLog(Path file, long capBytes, FileChannel channel) throws IOException {
        this.file = file;
        this.capBytes = capBytes;
        this.channel = channel;
        this.size = channel.size();
    }

    /** Opens (creating it {@code 0600}) the log at {@code file} with the {@link #DEFAULT_CAP_BYTES default cap}. */
    public static ConsoleLog open(Path file) {
        return open(file, DEFAULT_CAP_BYTES);
    }

    /**
     * Opens the log at {@code file}, creating it {@code 0600} if needed, appending otherwise.
     *
     * @throws HostException if the file cannot be opened or is a symbolic link
     */
    public static ConsoleLog open(Path file, long capBytes) {
        if (capBytes < 1) throw new IllegalArgumentException("the cap must be positive, not " + capBytes);
        try {
            return new ConsoleLog(file, capBytes, openForAppend(file));
        } catch (IOException e) {
            throw new HostException("cannot open the console log " + file + ": " + e.getMessage(),
                    "check that the sandbox's state folder " + file.getParent() + " is yours and writable");
        }
    }

    /** The file this log writes, where {@link #print} and {@link #follow} read it. */
    public Path file() {
        return file;
    }

    /**
     * Appends all of {@code bytes}, then starts a new file if this one passed the cap.
     *
     * @throws IOException if the disk refuses; the log is then unusable
     */
    void append(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) size += channel.write(bytes);
        if (size >= capBytes) rotate();
    }

    /** Closes the file; idempotent. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was buffered: every append went to the kernel already
        }
    }

    /**
     * Writes the log to {@code out}: the rotated file, then the current one. With {@code tailLines},
     * only that many last lines, as {@code docker logs --tail N}: a line ends at {@code \n}, and output
     * after the last {@code \n} (a prompt) counts as one more; 0 prints nothing. A log not written
     * yet prints nothing.
     */
    public static void print(Path log, OutputStream out, OptionalInt tailLines) throws IOException {
        ConsoleHistory.print(log, out, tailLines);
    }

    /**
     * {@code corral logs -f}: prints the log as {@link #print} does, then what the sandbox writes from
     * then on, across rotations, until {@code stillRunning} says it stopped; then prints what was still
     * unread and returns. Nothing written in between is lost or shown twice. Returns early if the
     * calling thread is interrupted.
     */
    public static void follow(Path log, OutputStream out, OptionalInt tailLines, BooleanSupplier stillRunning) throws IOException {
        ConsoleHistory.follow(log, out, tailLines, stillRunning);
    }

    /** Prints only what the sandbox writes from now on, until it stops: {@code follow} with a tail of 0 lines. */
    public static void follow(Path log, OutputStream out, BooleanSupplier stillRunning) throws IOException {
        follow(log, out, OptionalInt.of(0), stillRunning);
    }

    /** Where the log's previous part goes when it passes the cap. */
    static Path rotated(Path log) {
        return log.resolveSibling(log.getFileName() + ".1");
    }

    private void rotate() throws IOException {
        channel.close();
        Files.move(file, rotated(file), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        channel = openForAppend(file);
        size = channel.size();
    }

    private static FileChannel openForAppend(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            Files.setPosixFilePermissions(file, OWNER_ONLY); // created under a umask, or left by a run with another
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }
}
