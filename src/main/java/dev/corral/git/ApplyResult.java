package dev.corral.git;

import java.util.List;

/**
 * The sandbox's work taken into the user's work tree as uncommitted, staged changes.
 *
 * @param files    paths that changed
 * @param snapshot the commit of the sandbox's files that was applied (parent: the sandbox's branch tip)
 * @param notes    files that could not be read in the sandbox, and what sync noticed
 */
public record ApplyResult(List<String> files, String snapshot, List<String> notes) {
    public ApplyResult {
        files = List.copyOf(files);
        notes = List.copyOf(notes);
    }

    /** One line for the user: how many files are now staged, or that there was nothing to take. */
    public String summary() {
        if (files.isEmpty()) return "nothing to apply: your work tree already has the sandbox's files";
        return "applied the sandbox's work to " + files.size() + (files.size() == 1 ? " file" : " files")
                + " as staged changes (git diff --cached shows them; HEAD did not move)";
    }
}
