package dev.corral.git;

import java.util.List;

/**
 * The sandbox's work and the user's branch changed the same lines: nothing was merged and the
 * user's HEAD, index and working tree are as they were.
 */
public final class MergeConflictException extends GitException {
    private final List<String> files;

    MergeConflictException(String message, String fix, List<String> files) {
        super(message, fix);
        this.files = List.copyOf(files);
    }

    /** The conflicting paths, as git names them (not escaped for printing). */
    public List<String> files() {
        return files;
    }
}
