package dev.corral.app;

import dev.corral.agents.AgentProfiles;
import dev.corral.git.ApplyResult;
import dev.corral.git.BranchName;
import dev.corral.git.Changes;
import dev.corral.git.DiffFormat;
import dev.corral.git.MergeResult;
import dev.corral.git.RepositoryInfo;
import dev.corral.git.SandboxWorktree;
import dev.corral.git.WorkspaceStatus;
import dev.corral.git.Worktrees;
import dev.corral.policy.PolicyException;
import dev.corral.policy.RunOptions;
import dev.corral.sandbox.CorralPaths;
import dev.corral.sandbox.RuntimeState;
import dev.corral.sandbox.SandboxException;
import dev.corral.sandbox.SandboxName;
import dev.corral.sandbox.SandboxRecord;
import dev.corral.sandbox.SandboxSpec;
import dev.corral.sandbox.SandboxStore;
import dev.corral.sandbox.Volume;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Sandboxes on a branch of their own ({@code run --branch}): each gets its own checkout of the
 * repository (see {@link Worktrees}), so several agents can work on one repository at once, and the
 * user reviews and takes their work from the host with {@code diff}, {@code merge} and {@code apply}.
 */
public final class SandboxBranches {
    private final CorralPaths paths;
    private final SandboxStore store;
    private final RuntimeState runtime;
    private final Worktrees worktrees = new Worktrees();

    public SandboxBranches(CorralPaths paths) {
        this.paths = paths;
        this.store = new SandboxStore(paths);
        this.runtime = new RuntimeState(paths);
    }

    /**
     * What {@code --branch} makes of a run: the options naming the sandbox and its checkout, and the
     * checkout if this run created it (to be removed again should the run fail before it starts).
     */
    public record Prepared(RunOptions options, Optional<SandboxWorktree> created) {
    }

    /**
     * Finds the branch's sandbox, or creates its checkout: the repository is the one around
     * {@code -w} (or the current folder); the default name is {@code <agent>-<repository>-<branch>}.
     */
    public Prepared prepare(RunOptions options, Path cwd, Function<SandboxName, Optional<SandboxRecord>> find) {
        if (options.branch().isEmpty()) return new Prepared(options, Optional.empty());
        String agent = options.agent().orElse(AgentProfiles.SHELL);
        RepositoryInfo repository = RepositoryInfo.inspect(cwd.resolve(options.workspace().orElse(".")).normalize());
        String requested = options.branch().get();
        boolean auto = requested.equals("auto");
        String branch = auto ? BranchName.auto(agent, new SecureRandom()) : BranchName.validate(requested);
        String folder = repository.top().getFileName() == null ? "root" : repository.top().getFileName().toString();
        String suffix = auto ? branch.substring(branch.lastIndexOf('-') + 1) : BranchName.sandboxSuffix(branch);
        SandboxName name = options.name().map(SandboxName::new).orElseGet(() -> SandboxName.derive(agent, folder + "-" + suffix));
        Optional<SandboxRecord> existing = find.apply(name);
        if (existing.isPresent()) {
            Optional<SandboxWorktree> worktree = existing.get().spec().worktree();
            if (worktree.isPresent() && worktree.get().branch().equals(branch) && worktree.get().repository().equals(repository.top())) {
                return new Prepared(options.forSandbox(name.value(), Optional.empty()), Optional.empty());
            }
            throw new PolicyException("sandbox " + name + " already exists"
                    + worktree.map(w -> " on branch " + w.branch() + " of " + w.repository()).orElse(" without a branch of its own"),
                    "choose another name with --name, or remove it: corral rm " + name);
        }
        Path checkout = paths.worktrees().resolve(name.value());
        SandboxWorktree created = worktrees.create(repository, branch, checkout);
        return new Prepared(options.forSandbox(name.value(), Optional.of(created.path().toString())), Optional.of(created));
    }

    /**
     * After a run: the sandbox's commits into the user's repository, so its branch shows them;
     * best effort (a problem is reported, and {@code stop}, {@code merge}, {@code apply} or {@code rm} try again).
     */
    public void sync(SandboxSpec spec, Consumer<String> notices) {
        if (spec.worktree().isEmpty()) return;
        try {
            worktrees.sync(spec.worktree().get(), spec.name().value()).notes().forEach(notices);
        } catch (RuntimeException e) {
            notices.accept("could not bring the commits of " + spec.name() + " into " + spec.worktree().get().repository()
                    + ": " + e.getMessage());
        }
    }

    /** Removes what {@link #prepare} created for a run that then failed. */
    public void undo(SandboxWorktree created) {
        try {
            worktrees.discard(created);
        } catch (RuntimeException ignored) {
            // best effort: the run's own error is what the user needs to see
        }
    }

    /** What a branch sandbox sees besides its checkout: the repository's objects, read-only. */
    public List<Volume> mounts(SandboxSpec spec) {
        if (spec.worktree().isEmpty()) return List.of();
        return worktrees.objectDirectories(spec.worktree().get()).stream().map(dir -> new Volume(dir, dir, true)).toList();
    }

    /** How many files the sandbox changed, for {@code ls}: cheap and bounded; empty where that can't be told. */
    public OptionalInt changedFiles(SandboxSpec spec) {
        try {
            if (spec.worktree().isPresent()) return WorkspaceStatus.changedFiles(spec.worktree().get(), System.getenv());
            return WorkspaceStatus.changedFiles(spec.workspace(), System.getenv());
        } catch (RuntimeException e) {
            return OptionalInt.empty();
        }
    }

    public void diff(SandboxName name, DiffFormat format, OutputStream out, Consumer<String> notices) {
        SandboxWorktree worktree = worktree(name);
        Changes changes = worktrees.changes(worktree, scratch(name));
        notices.accept(name + " on branch " + worktree.branch() + ": " + describe(changes) + " since " + abbreviate(worktree.baseCommit()));
        changes.notes().forEach(notices);
        worktrees.diff(worktree, scratch(name), out, format);
    }

    /**
     * Only for a sandbox that is not running: merging brings its commits into the user's repository,
     * and a running agent could swap what the fetch reads for links to another repository's files.
     */
    public void merge(SandboxName name, Consumer<String> notices) {
        SandboxWorktree worktree = worktree(name);
        requireStopped(name, "its commits could change while they are brought into " + worktree.repository(),
                "stop it first (corral stop " + name + "); its commits and files are kept");
        MergeResult result = worktrees.merge(worktree, name.value(), scratch(name));
        result.notes().forEach(notices);
        notices.accept(result.summary());
    }

    /**
     * Only for a sandbox that is not running: apply reads the checkout's files into the user's
     * repository, and a running agent could swap a file for a link to a host file in the middle.
     */
    public void apply(SandboxName name, Consumer<String> notices) {
        SandboxWorktree worktree = worktree(name);
        requireStopped(name, "its files could change while they are copied", "stop it first (corral stop " + name + "); its files are kept");
        ApplyResult result = worktrees.apply(worktree, name.value(), scratch(name));
        result.notes().forEach(notices);
        notices.accept(result.summary());
    }

    /** Removes the sandbox's checkout and, once merged or with {@code force}, its branch; what it did, in lines. */
    public List<String> remove(SandboxSpec spec, boolean force) {
        if (spec.worktree().isEmpty()) return List.of();
        return worktrees.remove(spec.worktree().get(), spec.name().value(), scratch(spec.name()), force).notes();
    }

    private void requireStopped(SandboxName name, String why, String fix) {
        if (runtime.isRunning(name)) throw new SandboxException("sandbox " + name + " is running: " + why, fix);
    }

    private SandboxWorktree worktree(SandboxName name) {
        SandboxRecord record = store.get(name);
        return record.spec().worktree().orElseThrow(() -> new SandboxException("sandbox " + name + " has no branch of its own",
                "start one with: corral run --branch NAME|auto; for this one, use git in " + record.spec().workspace()));
    }

    /** A folder of Corral's own for the sandbox's git index and objects, never the sandbox's. */
    private Path scratch(SandboxName name) {
        Path dir = paths.sandboxDir(name).resolve("git");
        try {
            dev.corral.support.Files2.createPrivateDirectories(dir);
        } catch (IOException e) {
            throw new SandboxException("cannot create " + dir + ": " + e.getMessage(), "check that " + dir.getParent() + " is writable", e);
        }
        return dir;
    }

    private static String describe(Changes changes) {
        return changes.commitCount() + (changes.commitCount() == 1 ? " commit" : " commits") + ", "
                + changes.filesChanged() + (changes.filesChanged() == 1 ? " file" : " files") + " changed"
                + (changes.uncommittedFiles() > 0 ? " (" + changes.uncommittedFiles() + " not committed)" : "");
    }

    private static String abbreviate(String commit) {
        return commit.length() > 10 ? commit.substring(0, 10) : commit;
    }

}
