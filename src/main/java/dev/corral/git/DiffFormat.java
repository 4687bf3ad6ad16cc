package dev.corral.git;

/** How {@code corral diff} shows the sandbox's work. */
public enum DiffFormat {
    /** The full patch. */
    PATCH("--patch"),
    /** Files and counts of changed lines ({@code git diff --stat}). */
    STAT("--stat"),
    /** One line a file with A, M, D… ({@code git diff --name-status}). */
    NAME_STATUS("--name-status");

    final String option;

    DiffFormat(String option) {
        this.option = option;
    }
}
