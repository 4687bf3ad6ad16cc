package dev.corral.git;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which of the user's remote URLs a sandbox's checkout may have: none that carries a credential.
 * {@code https://token@host/…} and {@code https://user:password@host/…} are left out (a token in a
 * URL is a secret like any other); {@code ssh://git@host/…} and {@code git@host:owner/repo} name
 * only an account, which SSH authenticates with a key the sandbox doesn't have, so they stay.
 */
final class RemoteUrls {
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://.*", Pattern.DOTALL);
    private static final Pattern REMOTE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private RemoteUrls() {
    }

    static boolean isShareable(String url) {
        if (url.isEmpty() || url.startsWith("-") || url.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) return false;
        if (SCHEME.matcher(url).matches()) {
            int start = url.indexOf("://") + 3;
            int end = start;
            while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) end++;
            String authority = url.substring(start, end);
            int at = authority.lastIndexOf('@');
            if (at < 0) return true;
            String scheme = url.substring(0, start - 3).toLowerCase(Locale.ROOT);
            boolean ssh = scheme.equals("ssh") || scheme.equals("git+ssh") || scheme.equals("ssh+git");
            return ssh && !authority.substring(0, at).contains(":");
        }
        int at = url.indexOf('@'); // [user@]host:path, or a local path
        return at < 0 || !url.substring(0, at).contains(":");
    }

    /** Names git and a config file take without quoting surprises. */
    static boolean isPlainName(String name) {
        return REMOTE_NAME.matcher(name).matches() && !name.contains("..");
    }
}
