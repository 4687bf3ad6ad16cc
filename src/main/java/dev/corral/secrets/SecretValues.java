package dev.corral.secrets;

import java.util.Collection;
import java.util.Map;

/**
 * Where secret values live, by secret name: the encrypted file ({@link EncryptedFileValues}) or
 * the desktop keyring through {@code secret-tool} ({@link SecretToolValues}). Callers hold the
 * store's lock around writes. Nothing here puts a value in a message.
 */
interface SecretValues {
    /** {@link SecretEntry#FILE} or {@link SecretEntry#SECRET_SERVICE}, as recorded in the index. */
    String kind();

    /** Where the values are, for people: a path, or the keyring. */
    String location();

    /** The values of those of {@code names} this store holds. */
    Map<String, String> read(Collection<String> names);

    void write(String name, String value);

    /** Forgets the value; nothing happens if there is none. */
    void delete(String name);
}
