package dev.corral.secrets;

import dev.corral.support.Files2;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files only their owner may touch: created with mode 0600 (folders 0700), replaced atomically,
 * and checked before use, so a key or value file someone loosened is refused rather than trusted.
 */
final class PrivateFiles {
    static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PrivateFiles() {
    }

    /** Creates the folder (mode 0700) if needed, and refuses one other users can enter. */
    static void createPrivateDirectory(Path dir, String what) {
        try {
            Files2.createPrivateDirectories(dir);
        } catch (IOException e) {
            throw new SecretException("cannot create " + what + " " + dir + ": " + e.getMessage(),
                    "check that " + dir.getParent() + " is writable", e);
        }
        requirePrivate(dir, what);
    }

    /** Refuses a file or folder that is a symbolic link or that group or others may use in any way. */
    static void requirePrivate(Path path, String what) {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new SecretException("cannot read " + what + " " + path + ": " + e.getMessage(),
                    "check that " + path + " exists and belongs to you", e);
        }
        if (attributes.isSymbolicLink()) {
            throw new SecretException(what + " " + path + " is a symbolic link", "replace it with the real file, or remove it");
        }
        Set<PosixFilePermission> loose = EnumSet.noneOf(PosixFilePermission.class);
        loose.addAll(attributes.permissions());
        loose.retainAll(OTHERS);
        if (!loose.isEmpty()) {
            String mode = PosixFilePermissions.toString(attributes.permissions());
            throw new SecretException(what + " " + path + " is open to other users (" + mode + ")",
                    "chmod " + (attributes.isDirectory() ? "700 " : "600 ") + path);
        }
    }

    /** Replaces the file with {@code content} through a fresh 0600 temporary sibling, flushed, and an atomic rename. */
    static void writeAtomically(Path file, byte[] content) {
        try {
            Files2.writeAtomically(file, content, Files2.PRIVATE, true);
        } catch (IOException e) {
            throw new SecretException("cannot write " + file + ": " + e.getMessage(), "check that " + file.getParent() + " is writable", e);
        }
    }

    /** The file's bytes, or null if it doesn't exist. */
    static byte[] readIfExists(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new SecretException("cannot read " + what + " " + file + ": " + e.getMessage(), "check that it belongs to you", e);
        }
    }
}
