package dev.corral.sandbox;

import java.util.Locale;
import java.util.regex.Pattern;

/** A sandbox's name: also its hostname, its state folder and its cgroup, so it is kept plain. */
public record SandboxName(String value) {
    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");

    public SandboxName {
        if (value == null || !VALID.matcher(value).matches() || value.contains("..")) {
            throw new SandboxException("invalid sandbox name '" + printable(value) + "'",
                    "use 1-63 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    /** The default name: {@code <agent>-<workspace folder>}, with odd characters folded to '-'. */
    public static SandboxName derive(String agent, String folderName) {
        String folder = folderName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]+", "-")
                .replaceAll("\\.{2,}", ".").replaceAll("^[^a-z0-9]+", "").replaceAll("-+$", "");
        if (folder.isEmpty()) folder = "root";
        String name = agent + "-" + folder;
        return new SandboxName(name.length() > 63 ? name.substring(0, 63).replaceAll("[^a-z0-9]+$", "") : name);
    }

    private static String printable(String s) {
        return s == null ? "" : s.replaceAll("\\p{Cntrl}", "?");
    }

    @Override
    public String toString() {
        return value;
    }
}
