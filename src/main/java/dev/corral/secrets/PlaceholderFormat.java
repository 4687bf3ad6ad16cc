package dev.corral.secrets;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * How a secret's placeholder looks: a fixed prefix resembling the real key's ({@code sk-ant-api03-corral-})
 * and random characters from the real key's alphabet, so clients that check the format accept it.
 * The random part carries at least 128 bits, so a placeholder can't be guessed or collide.
 */
public record PlaceholderFormat(String prefix, Alphabet alphabet, int length) {
    public static final int MIN_BITS = 128;

    /** The characters of the random part. */
    public enum Alphabet {
        BASE62("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
        BASE64URL("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        HEX("0123456789abcdef"),
        LETTERS("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

        private final String chars;

        Alphabet(String chars) {
            this.chars = chars;
        }

        public String chars() {
            return chars;
        }

        static Alphabet named(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown placeholder alphabet '" + name + "'");
            }
        }
    }

    public PlaceholderFormat {
        if (prefix == null || !prefix.matches("[A-Za-z0-9_-]*")) throw new IllegalArgumentException("bad placeholder prefix " + prefix);
        if (alphabet == null) throw new IllegalArgumentException("no placeholder alphabet");
        if (length * (Math.log(alphabet.chars.length()) / Math.log(2)) < MIN_BITS) {
            throw new IllegalArgumentException("a placeholder of " + length + " " + alphabet + " characters has fewer than " + MIN_BITS + " random bits");
        }
    }

    /** Custom secrets: {@code corral-secret-} and 32 letters and digits (190 bits). */
    public static final PlaceholderFormat CUSTOM = new PlaceholderFormat("corral-secret-", Alphabet.BASE62, 32);

    public String generate(SecureRandom random) {
        StringBuilder out = new StringBuilder(prefix);
        String chars = alphabet.chars;
        for (int i = 0; i < length; i++) out.append(chars.charAt(random.nextInt(chars.length())));
        return out.toString();
    }

    /** Whether {@code placeholder} has this format (so it can be kept when the secret is set again). */
    public boolean matches(String placeholder) {
        if (!placeholder.startsWith(prefix) || placeholder.length() != prefix.length() + length) return false;
        for (int i = prefix.length(); i < placeholder.length(); i++) {
            if (alphabet.chars.indexOf(placeholder.charAt(i)) < 0) return false;
        }
        return true;
    }
}
