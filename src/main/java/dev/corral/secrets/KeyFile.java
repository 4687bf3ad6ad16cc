package dev.corral.secrets;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The 32-byte AES key of the values file, kept apart from it ({@code <config>/keys/secrets.key},
 * mode 0600 in a 0700 folder), so a copy of the data folder alone reveals nothing.
 */
final class KeyFile {
    static final int KEY_BYTES = 32;
    private static final String WHAT = "the secrets key";

    private KeyFile() {
    }

    static Optional<SecretKey> load(Path file) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        PrivateFiles.requirePrivate(file.getParent(), "the keys folder");
        PrivateFiles.requirePrivate(file, WHAT);
        byte[] key = PrivateFiles.readIfExists(file, WHAT);
        if (key == null) return Optional.empty();
        try {
            if (key.length != KEY_BYTES) {
                throw new SecretException(WHAT + " " + file + " is damaged (" + key.length + " bytes instead of " + KEY_BYTES + ")",
                        "restore it from a backup; without it the stored values are lost");
            }
            return Optional.of(new SecretKeySpec(key, "AES"));
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The key, made on first use. The caller holds the store's lock. */
    static SecretKey loadOrCreate(Path file, SecureRandom random) {
        PrivateFiles.createPrivateDirectory(file.getParent(), "the keys folder");
        Optional<SecretKey> existing = load(file);
        if (existing.isPresent()) return existing.get();
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        try {
            PrivateFiles.writeAtomically(file, key);
            return new SecretKeySpec(key, "AES");
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}
