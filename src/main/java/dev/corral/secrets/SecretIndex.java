package dev.corral.secrets;

import dev.corral.support.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code index.json}: every secret's metadata (no values), readable without any key so a launch
 * can set up placeholders cheaply. Versioned: {@code {"version": 1, "secrets": [...]}}.
 */
final class SecretIndex {
    private static final long VERSION = 1;

    private SecretIndex() {
    }

    static List<SecretEntry> read(Path file) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return List.of();
        PrivateFiles.requirePrivate(file, "the secrets index");
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            if (e instanceof SecretException s) throw s;
            throw new SecretException("the secrets index " + file + " is unreadable: " + e.getMessage(),
                    "fix or remove it (the values stay in their store): rm " + file, e);
        }
    }

    static void write(Path file, List<SecretEntry> entries) {
        List<Object> secrets = new ArrayList<>();
        for (SecretEntry e : entries) secrets.add(e.toJson());
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", VERSION);
        root.put("secrets", secrets);
        PrivateFiles.writeAtomically(file, Json.writePretty(root).getBytes(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static List<SecretEntry> parse(String text) {
        Map<String, Object> root = Json.parseObject(text);
        Object version = root.get("version");
        if (!Long.valueOf(VERSION).equals(version)) {
            throw new IllegalArgumentException("unsupported version " + version + " (this Corral reads version " + VERSION + ")");
        }
        List<SecretEntry> entries = new ArrayList<>();
        for (Object item : (List<Object>) root.get("secrets")) {
            Map<String, Object> m = (Map<String, Object>) item;
            entries.add(new SecretEntry((String) m.get("name"), strings(m.get("env")), strings(m.get("hosts")),
                    (String) m.get("placeholder"), (String) m.get("store"), Instant.parse((String) m.get("created"))));
        }
        return entries;
    }

    private static List<String> strings(Object value) {
        return ((List<?>) value).stream().map(String.class::cast).toList();
    }
}
