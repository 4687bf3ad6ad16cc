package dev.corral.git;

import java.util.List;

/**
 * What syncing a sandbox's branch into the user's repository found.
 *
 * @param tip         the sandbox's latest commit, now in the user's repository at {@code refs/corral/sandboxes/<name>}
 * @param branchFound false when the sandbox's repository no longer had the branch (deleted or renamed
 *                    inside), and {@code tip} is the last one Corral saw or the branch's start
 * @param notes       what the user should know: the branch left where it was, and why
 */
public record Sync(String tip, boolean branchFound, List<String> notes) {
    public Sync {
        notes = List.copyOf(notes);
    }
}
