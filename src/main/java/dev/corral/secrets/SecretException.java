package dev.corral.secrets;

import dev.corral.CorralException;

/**
 * A secret could not be stored, found or read: a bad name or host, a key or value file with loose
 * permissions, a file that fails its integrity check, an unreachable keyring. Messages name the
 * secret and the file, never the value.
 */
public class SecretException extends CorralException {
    public SecretException(String message, String fix) {
        super(message, fix);
    }

    public SecretException(String message, String fix, Throwable cause) {
        super(message, fix, cause);
    }
}
