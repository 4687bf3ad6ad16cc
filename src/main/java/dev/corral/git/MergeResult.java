package dev.corral.git;

import java.util.List;

/**
 * How the sandbox's branch went into the user's current branch.
 *
 * @param head  the user's HEAD afterwards
 * @param tip   the sandbox's commit that was merged
 * @param notes what was left out (uncommitted changes in the sandbox) and what sync noticed
 */
public record MergeResult(Kind kind, String head, String tip, List<String> notes) {
    public enum Kind {
        FAST_FORWARD, MERGE_COMMIT, ALREADY_UP_TO_DATE
    }

    public MergeResult {
        notes = List.copyOf(notes);
    }

    /** One line for the user: what happened, with the commit now at HEAD. */
    public String summary() {
        return switch (kind) {
            case FAST_FORWARD -> "fast-forwarded to the sandbox's commit " + head.substring(0, 12);
            case MERGE_COMMIT -> "merged the sandbox's commit " + tip.substring(0, 12) + " in merge commit " + head.substring(0, 12);
            case ALREADY_UP_TO_DATE -> "already up to date: HEAD " + head.substring(0, 12) + " has the sandbox's commit " + tip.substring(0, 12);
        };
    }
}
