package dev.corral.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The user's git identity ({@code user.name}, {@code user.email} of their global settings), passed
 * into sandboxes as {@code GIT_AUTHOR_*} and {@code GIT_COMMITTER_*} so commits made inside are
 * attributed to them. Read from the global settings files directly (a process per launch costs
 * milliseconds on every run); settings that include other files are asked of the user's own git.
 */
public final class GitIdentity {
    private GitIdentity() {
    }

    /** Starts reading it; the future never fails (no git, no identity: an empty map). */
    public static CompletableFuture<Map<String, String>> read(Map<String, String> hostEnv) {
        CompletableFuture<Map<String, String>> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).name("corral-git-identity").start(new Runnable() { // a class: a lambda costs a bootstrap at start
            @Override
            public void run() {
                java.util.Optional<Map<String, String>> read = fromFiles(hostEnv);
                result.complete(read.isPresent() ? read.get() : query(hostEnv));
            }
        });
        return result;
    }

    /**
     * The identity from the global settings files, as git reads them (the XDG file, then
     * {@code ~/.gitconfig}; the last value wins); empty when one of them includes other files.
     */
    static java.util.Optional<Map<String, String>> fromFiles(Map<String, String> hostEnv) {
        List<java.nio.file.Path> files = new java.util.ArrayList<>();
        String global = hostEnv.get("GIT_CONFIG_GLOBAL");
        String home = hostEnv.get("HOME");
        if (global != null && !global.isBlank()) {
            files.add(java.nio.file.Path.of(global));
        } else if (home != null && home.startsWith("/")) {
            String xdg = hostEnv.get("XDG_CONFIG_HOME");
            files.add((xdg != null && xdg.startsWith("/") ? java.nio.file.Path.of(xdg) : java.nio.file.Path.of(home, ".config")).resolve("git/config"));
            files.add(java.nio.file.Path.of(home, ".gitconfig"));
        }
        StringBuilder lines = new StringBuilder();
        for (java.nio.file.Path file : files) {
            String text;
            try {
                if (java.nio.file.Files.size(file) > 1 << 20) return java.util.Optional.empty();
                text = java.nio.file.Files.readString(file, StandardCharsets.UTF_8);
            } catch (java.nio.file.NoSuchFileException e) {
                continue;
            } catch (IOException | RuntimeException e) {
                return java.util.Optional.empty(); // unreadable or not text: git decides
            }
            String section = "";
            for (String raw : text.split("\n")) {
                String line = raw.strip();
                if (line.endsWith("\\")) return java.util.Optional.empty(); // a continued line: git decides
                if (line.startsWith("[")) {
                    int end = line.indexOf(']');
                    if (end < 0 || !line.substring(end + 1).isBlank()) return java.util.Optional.empty(); // unusual: git decides
                    section = (end < 0 ? line.substring(1) : line.substring(1, end)).strip().toLowerCase(java.util.Locale.ROOT);
                    if (section.startsWith("include")) return java.util.Optional.empty();
                    continue;
                }
                int eq = line.indexOf('=');
                if (!section.equals("user") || eq < 0) continue;
                String key = line.substring(0, eq).strip().toLowerCase(java.util.Locale.ROOT);
                String value = unquote(line.substring(eq + 1).strip());
                if (key.equals("name") || key.equals("email")) lines.append("user.").append(key).append(' ').append(value).append('\n');
            }
        }
        return java.util.Optional.of(parse(lines.toString()));
    }

    /** A value as git writes it: optionally in double quotes, a comment after {@code #} or {@code ;} outside them. */
    private static String unquote(String value) {
        StringBuilder out = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && i + 1 < value.length()) {
                char next = value.charAt(++i);
                out.append(next == 'n' ? '\n' : next == 't' ? '\t' : next);
            } else if (!quoted && (c == '#' || c == ';')) {
                break;
            } else {
                out.append(c);
            }
        }
        return out.toString().strip();
    }

    static Map<String, String> query(Map<String, String> hostEnv) {
        try {
            ProcessBuilder builder = new ProcessBuilder(List.of(git(hostEnv), "config", "--global", "--includes", "--get-regexp", "^user\\.(name|email)$"))
                    .directory(new java.io.File("/")).redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Map<String, String> env = builder.environment();
            env.clear();
            for (String key : List.of("HOME", "XDG_CONFIG_HOME", "PATH", "GIT_CONFIG_GLOBAL")) {
                if (hostEnv.containsKey(key)) env.put(key, hostEnv.get(key));
            }
            Process process = builder.start();
            // an include that never ends (a FIFO, say) must not hold the launch: killed after the deadline
            Thread.ofVirtual().start(() -> {
                try {
                    if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                }
            });
            String out = new String(process.getInputStream().readNBytes(64 * 1024), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Map.of();
            }
            return parse(out);
        } catch (IOException e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    private static boolean hasControlCharacter(String value) {
        for (int i = 0; i < value.length(); i++) if (value.charAt(i) < 0x20) return true; // no lambda: this runs at start
        return false;
    }

    /** git as the user's PATH finds it. */
    private static String git(Map<String, String> hostEnv) {
        for (String dir : hostEnv.getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.startsWith("/")) continue;
            java.nio.file.Path candidate = java.nio.file.Path.of(dir, "git");
            if (java.nio.file.Files.isExecutable(candidate)) return candidate.toString();
        }
        return "git";
    }

    /** {@code user.name Ada Lovelace} lines into the four variables git reads; the last value of a key wins. */
    static Map<String, String> parse(String output) {
        String name = null;
        String email = null;
        for (String line : output.split("\n")) {
            int space = line.indexOf(' ');
            if (space < 0) continue;
            String key = line.substring(0, space);
            String value = line.substring(space + 1).strip();
            if (value.isEmpty() || hasControlCharacter(value)) continue;
            if (key.equals("user.name")) name = value;
            if (key.equals("user.email")) email = value;
        }
        Map<String, String> env = new LinkedHashMap<>();
        if (name != null) {
            env.put("GIT_AUTHOR_NAME", name);
            env.put("GIT_COMMITTER_NAME", name);
        }
        if (email != null) {
            env.put("GIT_AUTHOR_EMAIL", email);
            env.put("GIT_COMMITTER_EMAIL", email);
        }
        return env;
    }
}
