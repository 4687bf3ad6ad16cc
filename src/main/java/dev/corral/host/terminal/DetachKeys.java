package dev.corral.host.terminal;

import dev.corral.CorralException;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The key sequence that leaves an attached sandbox running in the background, written as Docker
 * writes it ({@code --detach-keys}): comma-separated keys, each {@code ctrl-a} to {@code ctrl-z},
 * {@code ctrl-@}, {@code ctrl-[}, {@code ctrl-\}, {@code ctrl-]}, {@code ctrl-^}, {@code ctrl-_}, or a
 * single printable character. The default is Docker's, Ctrl-P Ctrl-Q.
 */
public final class DetachKeys {
    public static final DetachKeys DEFAULT = parse("ctrl-p,ctrl-q");
    private static final int MAX_KEYS = 16;
    private static final String FIX = "write the keys like ctrl-p,ctrl-q: ctrl-a to ctrl-z, ctrl-@, ctrl-[, ctrl-\\, ctrl-], "
            + "ctrl-^, ctrl-_ or single printable characters, separated by commas";

    private final byte[] sequence;
    private final String spec;

    private DetachKeys(byte[] sequence, String spec) {
        this.sequence = sequence;
        this.spec = spec;
    }

    /**
     * Parses a key sequence such as {@code "ctrl-p,ctrl-q"}.
     *
     * @throws CorralException naming the key that is not one
     */
    public static DetachKeys parse(String spec) {
        String[] keys = spec.split(",", -1);
        if (spec.isBlank() || keys.length > MAX_KEYS) {
            throw new CorralException("invalid detach keys \"" + spec + "\": give 1 to " + MAX_KEYS + " keys", FIX);
        }
        byte[] sequence = new byte[keys.length];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            String key = keys[i].trim();
            sequence[i] = byteOf(key, spec);
            names.add(key.toLowerCase());
        }
        return new DetachKeys(sequence, String.join(",", names));
    }

    /** A fresh matcher for one attached session. */
    Matcher matcher() {
        return new Matcher(sequence);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DetachKeys other && Arrays.equals(sequence, other.sequence);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sequence);
    }

    /** The keys as {@link #parse} reads them. */
    @Override
    public String toString() {
        return spec;
    }

    private static byte byteOf(String key, String spec) {
        String lower = key.toLowerCase();
        if (lower.startsWith("ctrl-") && key.length() == 6) {
            char c = lower.charAt(5);
            if (c >= 'a' && c <= 'z') return (byte) (c - 'a' + 1);
            int control = "@[\\]^_".indexOf(c);
            if (control >= 0) return (byte) (control == 0 ? 0 : 26 + control);
        } else if (key.length() == 1 && key.charAt(0) > ' ' && key.charAt(0) < 0x7F) {
            return (byte) key.charAt(0);
        }
        throw new CorralException("invalid detach keys \"" + spec + "\": \"" + key + "\" is not a key", FIX);
    }

    /**
     * Finds the sequence in what the user types, however the reads split it. Bytes that could still
     * begin the sequence are held back; once the next byte shows they do not, they are passed on.
     */
    static final class Matcher {
        private final byte[] sequence;
        private final byte[] held;
        private int heldCount;

        private Matcher(byte[] sequence) {
            this.sequence = sequence;
            this.held = new byte[sequence.length];
        }

        /**
         * Adds {@code count} typed bytes; those to pass on go to {@code forward}.
         *
         * @return true if the sequence is now complete: the rest of {@code bytes} is not looked at
         */
        boolean feed(byte[] bytes, int count, ByteArrayOutputStream forward) {
            for (int i = 0; i < count; i++) {
                held[heldCount++] = bytes[i];
                while (heldCount > 0 && !heldIsPrefix()) {
                    forward.write(held[0]);
                    System.arraycopy(held, 1, held, 0, --heldCount);
                }
                if (heldCount == sequence.length) {
                    heldCount = 0;
                    return true;
                }
            }
            return false;
        }

        private boolean heldIsPrefix() {
            return Arrays.equals(held, 0, heldCount, sequence, 0, heldCount);
        }
    }
}
