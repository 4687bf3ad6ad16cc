package dev.corral.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The user's git identity ({@code user.name}, {@code user.email} of their global settings, includes
 * followed), passed into sandboxes as {@code GIT_AUTHOR_*} and {@code GIT_COMMITTER_*} so commits made
 * inside are attributed to them. Read by the user's own git, off the start path.
 */
public final class GitIdentity {
    private GitIdentity() {
    }

    /** Starts reading it; the future never fails (no git, no identity: an empty map). */
    public static CompletableFuture<Map<String, String>> read(Map<String, String> hostEnv) {
        CompletableFuture<Map<String, String>> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).name("corral-git-identity").start(() -> result.complete(query(hostEnv)));
        return result;
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
            if (value.isEmpty() || value.chars().anyMatch(c -> c < 0x20)) continue;
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
