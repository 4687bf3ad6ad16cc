package dev.corral.git;

import java.util.List;

/**
 * What removing a sandbox's checkout did with its branch.
 *
 * @param branchDeleted whether the branch was deleted from the user's repository
 * @param notes         why it was kept, and anything that could not be read or removed
 */
public record RemoveResult(boolean branchDeleted, List<String> notes) {
    public RemoveResult {
        notes = List.copyOf(notes);
    }
}
