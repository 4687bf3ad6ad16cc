package dev.corral.git;

import java.util.HexFormat;
import java.util.Locale;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Branch names for sandboxes: a strict subset of what git accepts, so that a name is never read as
 * an option, a revision expression or a path outside {@code refs/heads}, and fits in a sandbox name.
 */
public final class BranchName {
    static final int MAX_LENGTH = 100;
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]*");

    private BranchName() {
    }

    /** The name itself if it is one Corral accepts; a {@link GitException} saying why not otherwise. */
    public static String validate(String name) {
        String why = problem(name);
        if (why != null) {
            throw new GitException("invalid branch name '" + GitException.printable(name == null ? "" : name) + "': " + why,
                    "use letters, digits, '.', '_', '-' and '/' between words, up to " + MAX_LENGTH + " characters (e.g. fix-login)");
        }
        return name;
    }

    public static boolean isValid(String name) {
        return problem(name) == null;
    }

    private static String problem(String name) {
        if (name == null || name.isEmpty()) return "it is empty";
        if (name.length() > MAX_LENGTH) return "it is longer than " + MAX_LENGTH + " characters";
        if (name.startsWith("-")) return "it starts with '-'";
        if (!ALLOWED.matcher(name).matches()) return "it must start with a letter or digit and contain only letters, digits, '.', '_', '-' and '/'";
        if (name.equals("HEAD")) return "HEAD is git's own name";
        if (name.contains("..")) return "it contains '..'";
        if (name.contains("//")) return "it contains '//'";
        if (name.contains("/.")) return "a part starts with '.'";
        if (name.endsWith("/") || name.endsWith(".")) return "it ends with '" + name.charAt(name.length() - 1) + "'";
        for (String part : name.split("/")) {
            if (part.endsWith(".lock")) return "a part ends with '.lock'";
        }
        return null;
    }

    /** {@code <agent>-<4 hex digits>}: a fresh name for {@code --branch auto}. */
    public static String auto(String agent, RandomGenerator random) {
        String base = (agent == null ? "" : agent).replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("\\.{2,}", ".")
                .replaceAll("^[^A-Za-z0-9]+", "").replaceAll("[^A-Za-z0-9]+$", "");
        if (base.length() > MAX_LENGTH - 5) base = base.substring(0, MAX_LENGTH - 5).replaceAll("[^A-Za-z0-9]+$", "");
        if (base.isEmpty()) base = "sandbox";
        return validate(base + "-" + HexFormat.of().toHexDigits((short) random.nextInt(1 << 16)));
    }

    /** The branch as part of a sandbox name: lower case, '/' as '-'. */
    public static String sandboxSuffix(String branch) {
        return validate(branch).replace('/', '-').toLowerCase(Locale.ROOT);
    }
}
