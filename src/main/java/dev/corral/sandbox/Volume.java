package dev.corral.sandbox;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** A host path made visible inside the sandbox, as {@code -v HOST[:SANDBOX][:ro]} asked. */
public record Volume(Path hostPath, Path sandboxPath, boolean readOnly) {
    public Volume {
        if (!hostPath.isAbsolute() || !sandboxPath.isAbsolute()) {
            throw new IllegalArgumentException("volume paths must be absolute");
        }
        hostPath = hostPath.normalize();
        sandboxPath = sandboxPath.normalize();
    }

    /**
     * Parses {@code HOST[:SANDBOX][:ro|:rw]} with absolute paths (relative host paths are the
     * caller's to resolve first). Paths containing ':' are not supported.
     */
    public static Volume parse(String spec) {
        List<String> parts = Arrays.asList(spec.split(":", -1));
        boolean readOnly = false;
        String last = parts.getLast();
        if (parts.size() > 1 && (last.equals("ro") || last.equals("rw"))) {
            readOnly = last.equals("ro");
            parts = parts.subList(0, parts.size() - 1);
        }
        if (parts.size() > 2 || parts.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("expected HOST[:SANDBOX][:ro]");
        }
        Path host = Path.of(parts.getFirst());
        Path inside = parts.size() == 2 ? Path.of(parts.get(1)) : host;
        if (!host.isAbsolute() || !inside.isAbsolute()) {
            throw new IllegalArgumentException("volume paths must be absolute");
        }
        return new Volume(host, inside, readOnly);
    }

    /** The {@code -v} spelling of this volume. */
    public String spec() {
        String s = hostPath + (hostPath.equals(sandboxPath) ? "" : ":" + sandboxPath);
        return readOnly ? s + ":ro" : s;
    }
}
