package dev.corral.git;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The user's repository as {@code --branch} needs it: where its work tree and its shared git
 * folder are, what HEAD is, and which object folders a sandbox borrowing its objects must see.
 *
 * @param top          the work tree's top folder (T)
 * @param commonDir         the git folder shared by all its work trees (G), a real path
 * @param headCommit        HEAD's commit, full hex
 * @param currentBranch     the branch HEAD is on; empty when detached
 * @param objectFormat      {@code sha1} or {@code sha256}
 * @param objectDirectories G/objects and the alternates it reads, real paths of existing folders
 */
public record RepositoryInfo(Path top, Path commonDir, String headCommit, Optional<String> currentBranch,
                             String objectFormat, List<Path> objectDirectories) {
    private static final String NO_REPOSITORY_FIX = "git init, commit, then try again; or run without --branch";

    public RepositoryInfo {
        Objects.requireNonNull(top);
        Objects.requireNonNull(commonDir);
        Refs.objectId(headCommit);
        Objects.requireNonNull(currentBranch);
        if (!objectFormat.equals("sha1") && !objectFormat.equals("sha256")) throw new IllegalArgumentException(objectFormat);
        objectDirectories = List.copyOf(objectDirectories);
    }

    /** Looks at the repository {@code dir} is in, as the user's git sees it (their settings, but no hooks or fsmonitor). */
    public static RepositoryInfo inspect(Path dir) {
        return inspect(dir, System.getenv());
    }

    static RepositoryInfo inspect(Path dir, Map<String, String> environment) {
        Git git = new Git(environment);
        Path absolute = dir.toAbsolutePath().normalize();
        if (!absolute.toFile().isDirectory()) {
            throw new GitException("--branch needs a git repository: " + absolute + " is not a folder", NO_REPOSITORY_FIX);
        }
        Git.Result where = git.run(GitCommand.user(absolute).args("rev-parse", "--path-format=absolute", "--show-toplevel", "--git-common-dir"));
        if (!where.ok()) {
            String reason = where.reason();
            if (reason.startsWith("not a git repository")) {
                throw new GitException("--branch needs a git repository: " + absolute + " is not in one", NO_REPOSITORY_FIX);
            }
            if (reason.contains("must be run in a work tree")) {
                throw new GitException("--branch needs a repository with a work tree: " + absolute + " is inside a bare repository or a git folder",
                        "run corral from the repository's work tree");
            }
            throw new GitException("cannot read the git repository at " + absolute + ": " + reason, null);
        }
        List<String> lines = where.stdout().lines().toList();
        if (lines.size() < 2) throw new GitException("cannot read the git repository at " + absolute + ": git rev-parse printed too little", null);
        Path top = real(Path.of(lines.get(0)));
        Path commonDir = real(Path.of(lines.get(1)));
        Git.Result head = git.run(GitCommand.user(top).args("rev-parse", "--verify", "--quiet", "--end-of-options", "HEAD^{commit}"));
        if (!head.ok()) {
            throw new GitException("--branch needs a commit to start from, and the repository at " + top + " has none yet",
                    "commit once (git add -A && git commit), then try again; or run without --branch");
        }
        String format = git.line(GitCommand.user(top).args("rev-parse", "--show-object-format"), "cannot read the repository's object format");
        Git.Result symbolic = git.run(GitCommand.user(top).args("symbolic-ref", "--quiet", "HEAD"));
        Optional<String> branch = Optional.empty();
        String ref = symbolic.stdout().strip();
        if (symbolic.ok() && ref.startsWith("refs/heads/")) branch = Optional.of(ref.substring("refs/heads/".length()));
        return new RepositoryInfo(top, commonDir, head.stdout().strip(), branch, format.strip(), ObjectDirectories.of(commonDir));
    }

    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new GitException("cannot resolve " + path + ": " + e.getMessage(), null, e);
        }
    }
}
