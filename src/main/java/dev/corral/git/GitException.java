package dev.corral.git;

import dev.corral.CorralException;

import java.util.List;

/** A git operation on a sandbox's branch or the user's repository failed or was refused. */
public class GitException extends CorralException {
    public GitException(String message, String fix) {
        super(message, fix);
    }

    public GitException(String message, String fix, Throwable cause) {
        super(message, fix, cause);
    }

    /**
     * A path, branch or message from git or the sandbox, safe on one line of a terminal: control
     * characters (a newline in a file name, an escape sequence in a commit subject) as escapes.
     */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') out.append("\\n");
            else if (c == '\t') out.append("\\t");
            else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || isBidiControl(c)) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        return out.toString();
    }

    /** Characters that reorder what a terminal shows (a name could look like another). */
    private static boolean isBidiControl(char c) {
        return c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    }

    /** The first few names, printable, and how many more there are. */
    static String listed(List<String> names) {
        int shown = Math.min(names.size(), 10);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < shown; i++) out.append(i == 0 ? "" : ", ").append(printable(names.get(i)));
        if (names.size() > shown) out.append(" and ").append(names.size() - shown).append(" more");
        return out.toString();
    }
}
