package dev.corral.git;

import java.util.regex.Pattern;

/** The full ref names Corral passes to git, built only from validated parts. */
final class Refs {
    /** Where a sandbox's tip is kept in the user's repository, out of sight of {@code git branch}. */
    static final String SANDBOXES = "refs/corral/sandboxes/";
    private static final Pattern SANDBOX_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");
    private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

    private Refs() {
    }

    static String branch(String name) {
        return "refs/heads/" + BranchName.validate(name);
    }

    static String sandbox(String sandboxName) {
        if (sandboxName == null || !SANDBOX_NAME.matcher(sandboxName).matches() || sandboxName.contains("..")
                || sandboxName.endsWith(".lock") || sandboxName.endsWith(".")) {
            throw new GitException("invalid sandbox name '" + GitException.printable(String.valueOf(sandboxName)) + "' for a git ref",
                    "use lower-case letters, digits, '.', '_' or '-', not ending in '.' or '.lock'");
        }
        return SANDBOXES + sandboxName;
    }

    static String objectId(String hex) {
        if (hex == null || !OBJECT_ID.matcher(hex).matches()) {
            throw new GitException("not a full commit id: '" + GitException.printable(String.valueOf(hex)) + "'", null);
        }
        return hex;
    }

    /** The all-zero id update-ref reads as "must not exist yet". */
    static String zero(String likeThis) {
        return "0".repeat(likeThis.length());
    }

    static String objectFormat(String commit) {
        return commit.length() == 64 ? "sha256" : "sha1";
    }
}
