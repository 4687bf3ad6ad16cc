package dev.corral.backend.linux;

import java.nio.file.Path;
import java.util.List;

/**
 * A path in the workspace the host would later execute or trust, and how the sandbox is kept
 * from changing it. Every protected path becomes a mount point, and a mount point cannot be
 * renamed or removed, so "rename the parent and recreate it" doesn't work either.
 */
public record Protection(Path path, Kind kind) {
    /** What a {@link Kind#PLACEHOLDER} file holds: for {@code .git/commondir}, "this directory". */
    public static final String PLACEHOLDER_CONTENT = ".\n";

    public enum Kind {
        /** Bound onto itself read-write: stays usable but can't be renamed away ({@code .git}). */
        PINNED,
        /** Bound onto itself read-only ({@code .git/hooks}, {@code .git/config}). */
        READ_ONLY,
        /** An empty read-only directory where nothing may appear (no {@code .git} yet). */
        EMPTY,
        /**
         * A file Corral writes for the run and binds read-only, where a file the sandbox could
         * create would redirect the host ({@code .git/commondir}); removed afterwards.
         */
        PLACEHOLDER
    }

    /** The paths created for the run only: placeholders, and the empty folders bubblewrap makes. */
    public static List<Path> temporaryPaths(List<Protection> protections) {
        return protections.stream().filter(p -> p.kind() == Kind.EMPTY || p.kind() == Kind.PLACEHOLDER)
                .map(Protection::path).toList();
    }
}
