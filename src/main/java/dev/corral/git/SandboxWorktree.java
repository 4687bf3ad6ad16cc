package dev.corral.git;

import java.util.Objects;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A sandbox's own checkout on its own branch: what Corral stores with the sandbox to find, sync,
 * merge and remove it later. Validated again when read back, since every part reaches a git command line.
 *
 * @param repository the user's work tree the branch was made from (T)
 * @param commonDir  that repository's shared git folder (G), whose objects the checkout borrows
 * @param path       the checkout (W): a small repository of its own, the sandbox's workspace
 * @param branch     the branch, in both W and the user's repository
 * @param baseCommit the commit the branch started at
 * @param baseBranch the branch the user was on then; empty if HEAD was detached
 */
public record SandboxWorktree(Path repository, Path commonDir, Path path, String branch, String baseCommit, Optional<String> baseBranch) {
    public SandboxWorktree {
        for (Path p : new Path[] {repository, commonDir, path}) {
            if (p == null || !p.isAbsolute() || !p.normalize().equals(p)) {
                throw new GitException("the sandbox's branch record has an invalid path: " + p, "remove the sandbox (corral rm --force) and start again");
            }
        }
        BranchName.validate(branch);
        Refs.objectId(baseCommit);
        Objects.requireNonNull(baseBranch);
    }

    /** W's own git folder. */
    public Path gitDir() {
        return path.resolve(".git");
    }
}
