package dev.corral.git;

import dev.corral.support.Files2;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * Makes a sandbox's checkout: a repository of its own that borrows the user's objects through
 * {@code objects/info/alternates} instead of a {@code git worktree add} (which would need the user's
 * refs, objects and settings writable inside the sandbox). The branch is created in the user's
 * repository too, never over an existing one; whatever fails on the way is undone.
 */
final class NewCheckout {
    private final Git git;

    NewCheckout(Git git) {
        this.git = git;
    }

    SandboxWorktree create(RepositoryInfo repo, String branch, Path path) {
        String ref = Refs.branch(branch);
        Path w = path.toAbsolutePath().normalize();
        if (w.getParent() == null) throw new GitException("cannot make a checkout at " + w, "choose another folder");
        if (Files.exists(w, LinkOption.NOFOLLOW_LINKS)) {
            throw new GitException("the folder for the sandbox's checkout already exists: " + w,
                    "choose another branch name, or remove the folder if nothing uses it");
        }
        String base = repo.headCommit();
        Git.Result created = git.run(GitCommand.user(repo.top())
                .args("update-ref", "-m", "corral: branch for a sandbox", "--end-of-options", ref, base, Refs.zero(base)));
        if (!created.ok()) {
            if (branchExists(repo, ref)) {
                throw new GitException("branch " + branch + " already exists in " + repo.top(),
                        "choose another name (--branch NAME, or --branch auto), or delete it: git branch -D " + branch);
            }
            throw new GitException("cannot create branch " + branch + " in " + repo.top() + ": " + created.reason(),
                    "choose another name (--branch NAME, or --branch auto)");
        }
        try {
            Files.createDirectories(w.getParent());
            Path real = w.getParent().toRealPath().resolve(w.getFileName());
            SandboxWorktree worktree = new SandboxWorktree(repo.top(), repo.commonDir(), real, branch, base, repo.currentBranch());
            populate(repo, worktree);
            return worktree;
        } catch (IOException | RuntimeException e) {
            undo(repo, ref, base, w);
            if (e instanceof GitException g) throw g;
            throw new GitException("cannot make the sandbox's checkout " + w + ": " + e.getMessage(), null, e);
        }
    }

    private void populate(RepositoryInfo repo, SandboxWorktree worktree) throws IOException {
        Path w = worktree.path();
        Path dotGit = worktree.gitDir();
        GitCommand init = GitCommand.isolated(w.getParent()).args("init", "--quiet", "--template=", "--initial-branch=" + worktree.branch());
        if (repo.objectFormat().equals("sha256")) init.args("--object-format=sha256");
        git.output(init.args("--", w.toString()), "cannot create the sandbox's checkout");
        Path info = Files.createDirectories(dotGit.resolve("objects/info"));
        Files.writeString(info.resolve("alternates"), ObjectDirectories.alternatesFile(repo.objectDirectories()));
        Path shallow = repo.commonDir().resolve("shallow");
        if (Files.isRegularFile(shallow)) Files.copy(shallow, dotGit.resolve("shallow"), StandardCopyOption.COPY_ATTRIBUTES);
        copyRemotes(repo, dotGit.resolve("config"));
        copyIdentity(repo, dotGit.resolve("config"));
        git.output(GitCommand.isolated(w).gitDir(dotGit)
                .args("update-ref", "-m", "corral: branch for a sandbox", "--end-of-options", Refs.branch(worktree.branch()), worktree.baseCommit()),
                "cannot set the branch in the sandbox's checkout");
        // the files come out as the user's own git would write them (their filters, line endings)
        git.output(GitCommand.user(w).gitDir(dotGit).workTree(w).timeout(Duration.ofMinutes(10))
                .args("read-tree", "-u", "--reset", "HEAD"), "cannot check out the files of the sandbox's branch");
    }

    /**
     * The name and email the user's git uses in this repository (its own settings included), so
     * commits inside are the user's as they would be in the repository itself.
     */
    private void copyIdentity(RepositoryInfo repo, Path config) {
        for (String key : List.of("user.name", "user.email")) {
            Git.Result value = git.run(GitCommand.user(repo.top()).args("config", "--get", key));
            String text = value.stdout().strip();
            if (value.exit() != 0 || text.isEmpty() || text.contains("\n")) continue;
            git.output(GitCommand.withoutRepository().args("config", "--file", config.toString(), "--end-of-options", key, text),
                    "cannot set " + key + " in the sandbox's checkout");
        }
    }

    /**
     * The user's remotes without credentials in their URL, so that {@code git fetch} and
     * {@code git push} inside can work through the sandbox's proxy.
     */
    private void copyRemotes(RepositoryInfo repo, Path config) {
        Git.Result urls = git.run(GitCommand.user(repo.top()).args("config", "-z", "--get-regexp", "^remote\\..*\\.url$"));
        for (String entry : Git.fields(urls.stdout())) {
            int newline = entry.indexOf('\n');
            if (newline < 0) continue;
            String key = entry.substring(0, newline);
            String url = entry.substring(newline + 1);
            String name = key.substring("remote.".length(), key.length() - ".url".length());
            if (!RemoteUrls.isPlainName(name) || !RemoteUrls.isShareable(url)) continue;
            git.output(GitCommand.withoutRepository().args("config", "--file", config.toString(), "--add", "--end-of-options", "remote." + name + ".url", url),
                    "cannot copy remote " + name);
            String fetch = "+refs/heads/*:refs/remotes/" + name + "/*";
            Git.Result existing = git.run(GitCommand.withoutRepository().args("config", "--file", config.toString(), "--get-all",
                    "remote." + name + ".fetch"));
            if (!existing.stdout().lines().toList().contains(fetch)) {
                git.output(GitCommand.withoutRepository().args("config", "--file", config.toString(), "--add", "--end-of-options", "remote." + name + ".fetch", fetch),
                        "cannot copy remote " + name);
            }
        }
    }

    private boolean branchExists(RepositoryInfo repo, String ref) {
        return git.run(GitCommand.user(repo.top()).args("rev-parse", "--verify", "--quiet", "--end-of-options", ref)).ok();
    }

    /** Removes the checkout, and the branch if it is still where this made it. */
    private void undo(RepositoryInfo repo, String ref, String base, Path w) {
        try {
            Files2.deleteTree(w);
        } catch (IOException | RuntimeException ignored) {
            // best effort: the error that made us undo is the one to report
        }
        git.run(GitCommand.user(repo.top()).args("update-ref", "-d", "--end-of-options", ref, base));
    }

}
