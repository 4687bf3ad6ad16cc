package dev.corral.backend.linux;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the few settings of a git configuration file that decide what the host will run: hook
 * folders ({@code core.hooksPath}), included files ({@code include.path}, {@code includeIf.*.path})
 * and per-worktree configuration ({@code extensions.worktreeConfig}). A plain line reader: it
 * needs no git on the host and runs nothing.
 */
record GitConfigText(List<String> hooksPaths, List<String> includePaths, boolean worktreeConfig) {

    static GitConfigText parse(String text) {
        List<String> hooksPaths = new ArrayList<>();
        List<String> includes = new ArrayList<>();
        boolean worktreeConfig = false;
        String section = "";
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
            if (line.startsWith("[")) {
                int end = line.indexOf(']');
                String header = (end < 0 ? line.substring(1) : line.substring(1, end)).strip();
                int space = header.indexOf(' ');
                section = (space < 0 ? header : header.substring(0, space)).toLowerCase(Locale.ROOT);
                if (end < 0 || end + 1 >= line.length()) continue;
                line = line.substring(end + 1).strip();
            }
            int eq = line.indexOf('=');
            if (eq < 0) continue;
            String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = unquote(line.substring(eq + 1).strip());
            switch (section + "." + key) {
                case "core.hookspath" -> hooksPaths.add(value);
                case "include.path", "includeif.path" -> includes.add(value);
                case "extensions.worktreeconfig" -> worktreeConfig = value.equalsIgnoreCase("true") || value.equals("1");
                default -> { }
            }
        }
        return new GitConfigText(List.copyOf(hooksPaths), List.copyOf(includes), worktreeConfig);
    }

    private static String unquote(String value) {
        int comment = value.startsWith("\"") ? -1 : Math.max(value.indexOf(" #"), value.indexOf(" ;"));
        if (comment > 0) value = value.substring(0, comment).strip();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) return value.substring(1, value.length() - 1);
        return value;
    }
}
