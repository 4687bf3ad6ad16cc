package dev.corral.net;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Replaces placeholders in a byte stream fed in pieces, matches spanning two pieces included: the
 * secrets of the connection's host become their values; any other secret's placeholder is left
 * as it is and only noted, for the log.
 */
final class StreamReplacer {
    private final List<SecretRoute> replace;
    private final List<SecretRoute> detectOnly;
    private final int keep;
    private byte[] pending = new byte[0];
    private final Set<String> replaced = new LinkedHashSet<>();
    private final Set<String> misdirected = new LinkedHashSet<>();

    StreamReplacer(List<SecretRoute> replace, List<SecretRoute> detectOnly) {
        this.replace = List.copyOf(replace);
        this.detectOnly = List.copyOf(detectOnly);
        int longest = 1;
        for (SecretRoute s : replace) longest = Math.max(longest, s.placeholder().length);
        for (SecretRoute s : detectOnly) longest = Math.max(longest, s.placeholder().length);
        this.keep = longest - 1;
    }

    /** Whether it has secrets to put in for this connection's host. */
    boolean injects() {
        return !replace.isEmpty();
    }

    boolean isIdle() {
        return replace.isEmpty() && detectOnly.isEmpty();
    }

    /** The bytes that can be passed on after {@code data}; a possible partial match is held back. */
    byte[] feed(byte[] data, int off, int len) {
        byte[] buf = new byte[pending.length + len];
        System.arraycopy(pending, 0, buf, 0, pending.length);
        System.arraycopy(data, off, buf, pending.length, len);
        ByteArrayOutputStream out = new ByteArrayOutputStream(buf.length + 64);
        int from = 0;
        while (true) {
            int best = -1;
            SecretRoute found = null;
            boolean swap = false;
            for (SecretRoute s : replace) {
                int at = indexOf(buf, s.placeholder(), from);
                if (at >= 0 && (best < 0 || at < best)) {
                    best = at;
                    found = s;
                    swap = true;
                }
            }
            for (SecretRoute s : detectOnly) {
                int at = indexOf(buf, s.placeholder(), from);
                if (at >= 0 && (best < 0 || at < best)) {
                    best = at;
                    found = s;
                    swap = false;
                }
            }
            if (found == null) break;
            out.write(buf, from, best - from);
            if (swap) {
                out.writeBytes(found.value());
                replaced.add(found.name());
            } else {
                out.writeBytes(found.placeholder());
                misdirected.add(found.name());
            }
            from = best + found.placeholder().length;
        }
        int safe = Math.max(from, buf.length - partialMatch(buf, from));
        out.write(buf, from, safe - from);
        pending = Arrays.copyOfRange(buf, safe, buf.length);
        return out.toByteArray();
    }

    /**
     * How many of the last bytes could be the start of a placeholder: only those are held back,
     * so ordinary data passes at once.
     */
    private int partialMatch(byte[] buf, int from) {
        int longest = 0;
        for (List<SecretRoute> list : List.of(replace, detectOnly)) {
            for (SecretRoute s : list) {
                byte[] p = s.placeholder();
                for (int k = Math.min(keep, Math.min(p.length - 1, buf.length - from)); k > longest; k--) {
                    if (Arrays.equals(buf, buf.length - k, buf.length, p, 0, k)) {
                        longest = k;
                        break;
                    }
                }
            }
        }
        return longest;
    }

    /** Whether bytes are held back, waiting to see whether they start a placeholder. */
    boolean holding() {
        return pending.length > 0;
    }

    /** Whatever was held back, at the end of the stream. */
    byte[] finish() {
        byte[] rest = pending;
        pending = new byte[0];
        return rest;
    }

    /** Replaces in a complete piece (a head, a buffered body). */
    byte[] all(byte[] data) {
        byte[] head = feed(data, 0, data.length);
        byte[] tail = finish();
        byte[] all = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    Set<String> replaced() {
        return replaced;
    }

    Set<String> misdirected() {
        return misdirected;
    }

    static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        return -1;
    }
}
