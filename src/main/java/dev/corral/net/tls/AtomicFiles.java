package dev.corral.net.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes a file through a private temporary sibling, flushed to disk, then renamed into place. */
final class AtomicFiles {
    static final String PRIVATE = "rw-------";
    static final String PUBLIC = "rw-r--r--";

    private AtomicFiles() {
    }

    /**
     * Replaces {@code file} with {@code content} and the mode {@code permissions}; the temporary file
     * is 0600 from its creation, so a private file is never readable by others, even for a moment.
     */
    static void write(Path file, byte[] content, String permissions) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(PRIVATE)));
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) channel.write(buffer);
                channel.force(true);
            }
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(permissions));
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
