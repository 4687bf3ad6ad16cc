package dev.corral.git;

import java.util.List;

/**
 * The sandbox's work against the commit its branch started at.
 *
 * @param tip          the branch's latest commit in the sandbox
 * @param commitCount  commits on the branch since its start
 * @param commits      their subjects, newest first (at most {@link #MAX_SUBJECTS}), control characters escaped
 * @param files        paths changed in total, committed or not, against the start
 * @param uncommitted  paths whose files differ from the branch's latest commit
 * @param notes        files that could not be read, a branch gone missing, and the like
 */
public record Changes(String tip, int commitCount, List<String> commits, List<String> files, List<String> uncommitted, List<String> notes) {
    public static final int MAX_SUBJECTS = 100;

    public Changes {
        commits = List.copyOf(commits);
        files = List.copyOf(files);
        uncommitted = List.copyOf(uncommitted);
        notes = List.copyOf(notes);
    }

    /** How many files changed in total. */
    public int filesChanged() {
        return files.size();
    }

    /** How many files have uncommitted changes. */
    public int uncommittedFiles() {
        return uncommitted.size();
    }

    public boolean hasUncommittedChanges() {
        return !uncommitted.isEmpty();
    }
}
