package dev.corral.backend.docker;

import dev.corral.sandbox.SandboxName;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What Corral calls its containers and volumes on an engine, and the labels it puts on them. An
 * engine is shared by users and by Corral installs with their own data folders: each owner (a
 * data folder) has its own prefix and label, so sandboxes of the same name never meet.
 */
record DockerNames(String owner) {
    static final String LABEL_SANDBOX = "dev.corral.sandbox";
    static final String LABEL_OWNER = "dev.corral.owner";
    static final String LABEL_ROLE = "dev.corral.role";

    static DockerNames forData(Path corralData) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(corralData.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8));
            return new DockerNames(HexFormat.of().formatHex(digest, 0, 4));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String container(SandboxName name) {
        return "corral-" + owner + "-" + name.value();
    }

    String homeVolume(SandboxName name) {
        return "corral-" + owner + "-" + name.value() + "-home";
    }

    /** The labels of everything made for sandbox {@code name}; {@code role} says what it is. */
    Map<String, String> labels(SandboxName name, String role) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_OWNER, owner);
        labels.put(LABEL_SANDBOX, name.value());
        labels.put(LABEL_ROLE, role);
        return labels;
    }

    /** The labels that find everything of sandbox {@code name}. */
    Map<String, String> selector(SandboxName name) {
        return Map.of(LABEL_OWNER, owner, LABEL_SANDBOX, name.value());
    }
}
