package dev.corral.git;

import dev.corral.host.HostCommand;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * How many files a plain (not a branch's) workspace has changed against its HEAD, for
 * {@code corral ls}: {@code git status} run the supervisor's safe way (hooks, fsmonitor and
 * optional locks off, only the repository's own settings, which the sandbox can't write).
 */
public final class WorkspaceStatus {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private WorkspaceStatus() {
    }

    /** Empty when the workspace is not a repository or git could not tell. */
    public static OptionalInt changedFiles(Path workspace) {
        if (!Files.exists(workspace.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) return OptionalInt.empty();
        return HostCommand.run(GitCommand.safe(workspace, "status", "--porcelain=v1", "-z", "--untracked-files=normal"),
                        GitCommand::isolate, TIMEOUT)
                .filter(HostCommand.Output::ok)
                .map(out -> OptionalInt.of(count(out.stdout())))
                .orElse(OptionalInt.empty());
    }

    /** Entries of {@code status --porcelain -z}: {@code XY path}, a rename's or copy's followed by its source. */
    static int count(String porcelain) {
        int files = 0;
        String[] entries = porcelain.split("\0");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i];
            if (entry.length() < 4) continue;
            files++;
            char x = entry.charAt(0);
            if (x == 'R' || x == 'C') i++;
        }
        return files;
    }
}
