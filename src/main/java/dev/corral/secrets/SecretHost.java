package dev.corral.secrets;

import dev.corral.policy.SharedSuffixes;
import java.util.Locale;

/**
 * A host a secret may be sent to: an exact name ({@code api.example.com}) or every name under a
 * domain ({@code *.example.com}, which does not match {@code example.com} itself). Patterns that
 * would hand the credential to strangers are refused: {@code *}, a wildcard over a top-level
 * domain ({@code *.com}) or over a well-known shared suffix ({@code *.co.uk}, {@code *.herokuapp.com}).
 *
 * @param pattern lower case, without a trailing dot
 */
public record SecretHost(String pattern) {
    public SecretHost {
        pattern = check(pattern);
    }

    public static SecretHost parse(String text) {
        return new SecretHost(text);
    }

    public boolean isWildcard() {
        return pattern.startsWith("*.");
    }

    /** Whether a request to {@code host} (a name, any case, trailing dot allowed) may carry the secret. */
    public boolean matches(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        if (!isWildcard()) return h.equals(pattern);
        String suffix = pattern.substring(1);
        return h.endsWith(suffix) && h.length() > suffix.length();
    }

    @Override
    public String toString() {
        return pattern;
    }

    private static String check(String text) {
        if (text == null || text.isBlank()) throw invalid(String.valueOf(text), "it is empty");
        String host = text.strip().toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) host = host.substring(0, host.length() - 1);
        if (host.contains("://") || host.contains("/")) {
            throw invalid(text, "give the host name only, without scheme or path");
        }
        if (host.contains(":") || host.contains("[")) throw invalid(text, "give the host name only, without a port");
        if (host.equals("*")) throw overBroad(text, "it matches every host");
        String name = host.startsWith("*.") ? host.substring(2) : host;
        if (name.contains("*")) throw invalid(text, "a wildcard may only be the first label, as in *.example.com");
        checkName(text, name);
        if (host.startsWith("*.")) {
            if (!name.contains(".")) throw overBroad(text, "it covers the whole top-level domain ." + name);
            if (SharedSuffixes.contains(name)) throw overBroad(text, "names under " + name + " belong to many different owners");
            if (name.chars().allMatch(c -> c == '.' || Character.isDigit(c))) throw invalid(text, "a wildcard can't cover IP addresses");
        }
        return host;
    }

    private static void checkName(String text, String name) {
        if (name.length() > 253) throw invalid(text, "it is longer than 253 characters");
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) throw invalid(text, "each dot-separated label needs 1 to 63 characters");
            if (label.startsWith("-") || label.endsWith("-")) throw invalid(text, "a label can't start or end with '-'");
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                    throw invalid(text, "a host name has only letters, digits, '-' and '.'");
                }
            }
        }
    }

    private static SecretException invalid(String text, String why) {
        return new SecretException("invalid host '" + text + "': " + why, "write hosts as api.example.com or *.example.com");
    }

    private static SecretException overBroad(String text, String why) {
        return new SecretException("host pattern '" + text + "' is too broad: " + why,
                "name the service's own hosts, e.g. api.example.com or *.example.com");
    }
}
