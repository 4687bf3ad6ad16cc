package dev.corral.secrets;

import dev.corral.support.Json;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Values in one file, {@code <data>/secrets/values.enc}, encrypted with AES-256-GCM under the key
 * in {@link KeyFile}. Format, version 1: the 8 bytes {@code CORRALSV}, a version byte, a fresh
 * 12-byte nonce for every write, then the ciphertext of a JSON object (name to value) with its
 * 16-byte tag. The magic and version are authenticated too, so any change to the file, or the
 * wrong key, fails the tag check.
 */
final class EncryptedFileValues implements SecretValues {
    static final byte[] MAGIC = "CORRALSV".getBytes(StandardCharsets.US_ASCII);
    static final byte VERSION = 1;
    static final int NONCE_BYTES = 12;
    static final int HEADER_BYTES = MAGIC.length + 1 + NONCE_BYTES;
    private static final int TAG_BITS = 128;
    private static final String WHAT = "the secrets file";

    private final Path valuesFile;
    private final Path keyFile;
    private final SecureRandom random;

    EncryptedFileValues(Path valuesFile, Path keyFile, SecureRandom random) {
        this.valuesFile = valuesFile;
        this.keyFile = keyFile;
        this.random = random;
    }

    @Override
    public String kind() {
        return SecretEntry.FILE;
    }

    @Override
    public String location() {
        return valuesFile.toString();
    }

    @Override
    public Map<String, String> read(Collection<String> names) {
        Map<String, String> all = readAll();
        all.keySet().retainAll(names);
        return all;
    }

    @Override
    public void write(String name, String value) {
        SecretKey key = KeyFile.loadOrCreate(keyFile, random);
        Map<String, String> all = readAll();
        all.put(name, value);
        save(all, key);
    }

    @Override
    public void delete(String name) {
        Map<String, String> all = readAll();
        if (all.remove(name) == null) return;
        save(all, KeyFile.load(keyFile).orElseThrow(this::missingKey));
    }

    private Map<String, String> readAll() {
        byte[] file = PrivateFiles.readIfExists(valuesFile, WHAT);
        if (file == null) return new LinkedHashMap<>();
        PrivateFiles.requirePrivate(valuesFile, WHAT);
        SecretKey key = KeyFile.load(keyFile).orElseThrow(this::missingKey);
        byte[] plain = decrypt(file, key);
        try {
            Map<String, String> values = new LinkedHashMap<>();
            Json.parseObject(new String(plain, StandardCharsets.UTF_8)).forEach((k, v) -> values.put(k, (String) v));
            return values;
        } catch (RuntimeException e) {
            throw damaged("its content is not what Corral wrote", null);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private byte[] decrypt(byte[] file, SecretKey key) {
        if (file.length < HEADER_BYTES || !Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw damaged("it is not a Corral secrets file", null);
        }
        if (file[MAGIC.length] != VERSION) {
            throw new SecretException(WHAT + " " + valuesFile + " has format version " + file[MAGIC.length]
                    + ", this Corral reads version " + VERSION, "use the Corral version that wrote it");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, file, MAGIC.length + 1, NONCE_BYTES));
            cipher.updateAAD(file, 0, MAGIC.length + 1);
            return cipher.doFinal(file, HEADER_BYTES, file.length - HEADER_BYTES);
        } catch (AEADBadTagException e) {
            throw damaged("it fails its integrity check: it was changed, or " + keyFile + " is not its key", e);
        } catch (GeneralSecurityException e) {
            throw new SecretException("cannot decrypt " + valuesFile + ": " + e.getMessage(), "check the Java runtime's AES-GCM support", e);
        }
    }

    private void save(Map<String, String> values, SecretKey key) {
        byte[] plain = Json.write(values).getBytes(StandardCharsets.UTF_8);
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            byte[] header = ByteBuffer.allocate(HEADER_BYTES).put(MAGIC).put(VERSION).put(nonce).array();
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(header, 0, MAGIC.length + 1);
            byte[] sealed = cipher.doFinal(plain);
            PrivateFiles.writeAtomically(valuesFile, ByteBuffer.allocate(header.length + sealed.length).put(header).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new SecretException("cannot encrypt the secrets: " + e.getMessage(), "check the Java runtime's AES-GCM support", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private SecretException missingKey() {
        return new SecretException("the key " + keyFile + " of " + valuesFile + " is missing",
                "restore the key from a backup, or start over: rm " + valuesFile + " " + valuesFile.resolveSibling("index.json"));
    }

    private SecretException damaged(String why, Throwable cause) {
        return new SecretException(WHAT + " " + valuesFile + " can't be used: " + why,
                "restore " + valuesFile + " and " + keyFile + " from a backup, or start over: rm " + valuesFile + " "
                        + valuesFile.resolveSibling("index.json"), cause);
    }
}
