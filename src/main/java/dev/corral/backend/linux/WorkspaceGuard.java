package dev.corral.backend.linux;

import dev.corral.backend.linux.Protection.Kind;
import dev.corral.sandbox.SandboxException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds what in a workspace the host would run or trust later and says how to protect it: the git
 * metadata's hooks and configuration (also of submodules and worktrees, and a {@code core.hooksPath}
 * inside the workspace), a {@code .git} file that points elsewhere, and editor and shell start-up
 * files. A workspace with no {@code .git} gets an empty read-only one, so the sandbox can't plant a
 * repository whose configuration the host's next {@code git status} would obey.
 */
public final class WorkspaceGuard {
    /** Editor start-up folders the host's tools obey: read-only, or an empty read-only folder. */
    static final List<String> EDITOR_FOLDERS = List.of(".vscode", ".idea", ".devcontainer");
    /** Shell start-up files the host runs (direnv asks before it runs a new one): read-only when they exist. */
    static final List<String> STARTUP_FILES = List.of(".envrc");
    private final Path workspace;
    private final List<String> userHooksPaths;
    private final List<Protection> protections = new ArrayList<>();

    private WorkspaceGuard(Path workspace, List<String> userHooksPaths) {
        this.workspace = workspace;
        this.userHooksPaths = userHooksPaths;
    }

    /** Scans a workspace (a real, absolute path) without user-level git settings. */
    public static List<Protection> scan(Path workspace) {
        return scan(workspace, List.of());
    }

    /**
     * Scans the workspace (a real, absolute path); may create an empty {@code .git/hooks} and a
     * {@code .git/commondir} placeholder.
     *
     * @param userGitConfigs the user's and the system's git configuration files, whose
     *                       {@code core.hooksPath} applies to this repository too
     */
    /** The git configuration files besides the repository's own that the host's git reads for this user. */
    public static List<Path> userGitConfigs(dev.corral.host.Identity identity, java.util.Map<String, String> hostEnv) {
        String xdg = hostEnv.get("XDG_CONFIG_HOME");
        Path xdgConfig = xdg != null && xdg.startsWith("/") ? Path.of(xdg) : identity.home().resolve(".config");
        return List.of(identity.home().resolve(".gitconfig"), xdgConfig.resolve("git/config"), Path.of("/etc/gitconfig"));
    }

    public static List<Protection> scan(Path workspace, List<Path> userGitConfigs) {
        List<String> userHooksPaths = new ArrayList<>();
        for (Path config : userGitConfigs) {
            if (Files.isRegularFile(config)) userHooksPaths.addAll(GitConfigText.parse(read(config)).hooksPaths());
        }
        WorkspaceGuard guard = new WorkspaceGuard(workspace, userHooksPaths);
        guard.scanGit();
        for (String name : EDITOR_FOLDERS) {
            Path path = workspace.resolve(name);
            guard.protect(path, Files.exists(path, LinkOption.NOFOLLOW_LINKS) ? Kind.READ_ONLY : Kind.EMPTY);
        }
        for (String name : STARTUP_FILES) {
            Path path = workspace.resolve(name);
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) guard.protect(path, Kind.READ_ONLY);
        }
        return List.copyOf(guard.protections);
    }

    private void scanGit() {
        Path dotGit = workspace.resolve(".git");
        if (!Files.exists(dotGit, LinkOption.NOFOLLOW_LINKS) || isEmptyDirectory(dotGit)) {
            protect(dotGit, Kind.EMPTY);
            // git also takes a folder holding HEAD, objects/ and refs/ for a bare repository:
            // without a HEAD of its own making, the sandbox can't turn the workspace into one
            Path head = workspace.resolve("HEAD");
            protect(head, Files.exists(head, LinkOption.NOFOLLOW_LINKS) ? Kind.READ_ONLY : Kind.EMPTY);
            for (String hooksPath : userHooksPaths) protectHooksPath(hooksPath);
            return;
        }
        if (Files.isRegularFile(dotGit, LinkOption.NOFOLLOW_LINKS)) {
            protect(dotGit, Kind.READ_ONLY);
            gitDirOf(dotGit).filter(dir -> dir.startsWith(workspace) && !dir.equals(workspace)).ifPresent(dir -> {
                protect(dir, Kind.PINNED);
                protectGitDir(dir);
            });
            return;
        }
        if (!Files.isDirectory(dotGit, LinkOption.NOFOLLOW_LINKS)) {
            throw refuse(dotGit, "is neither a directory nor a file");
        }
        protect(dotGit, Kind.PINNED);
        protectGitDir(dotGit);
    }

    private void protectGitDir(Path gitDir) {
        Path config = gitDir.resolve("config");
        if (!Files.isRegularFile(config, LinkOption.NOFOLLOW_LINKS)) {
            throw refuse(config, "is missing or not a regular file");
        }
        protect(config, Kind.READ_ONLY);
        Path hooks = gitDir.resolve("hooks");
        if (!Files.exists(hooks, LinkOption.NOFOLLOW_LINKS)) createDirectory(hooks);
        protect(hooks, Kind.READ_ONLY);
        GitConfigText settings = GitConfigText.parse(read(config));
        Path worktreeConfig = gitDir.resolve("config.worktree");
        if (Files.exists(worktreeConfig, LinkOption.NOFOLLOW_LINKS) || settings.worktreeConfig()) {
            if (!Files.exists(worktreeConfig, LinkOption.NOFOLLOW_LINKS)) createFile(worktreeConfig);
            protect(worktreeConfig, Kind.READ_ONLY);
        }
        for (String hooksPath : settings.hooksPaths()) protectHooksPath(hooksPath);
        for (String hooksPath : userHooksPaths) protectHooksPath(hooksPath);
        for (String include : settings.includePaths()) protectInclude(gitDir, include);
        protectCommonDir(gitDir.resolve("commondir"));
        // the objects: another sandbox (on a branch of this repository) mounts this folder read-only, so it
        // must stay the folder it is, never swapped for a link while that sandbox's mounts are made
        Path objects = gitDir.resolve("objects");
        if (Files.isSymbolicLink(objects)) throw refuse(objects, "is a link");
        if (Files.isDirectory(objects, LinkOption.NOFOLLOW_LINKS)) protect(objects, Kind.PINNED);
        // where else git reads objects from: a branch sandbox's checkout borrows its repository's this way
        Path alternates = gitDir.resolve("objects/info/alternates");
        if (Files.exists(alternates, LinkOption.NOFOLLOW_LINKS)) protect(alternates, Kind.READ_ONLY);
        protectWorktrees(gitDir.resolve("worktrees"));
        Path modules = gitDir.resolve("modules");
        if (Files.isDirectory(modules, LinkOption.NOFOLLOW_LINKS)) {
            protect(modules, Kind.READ_ONLY);
            protectModules(modules, 0);
        } else {
            protect(modules, Kind.EMPTY);
        }
    }

    /**
     * {@code commondir} moves a repository's configuration and hooks elsewhere. An existing one is
     * read-only; where there is none, a placeholder that names the git directory itself holds its
     * place, since git treats an empty file or a directory there as a broken repository.
     */
    private void protectCommonDir(Path commonDir) {
        if (Files.exists(commonDir, LinkOption.NOFOLLOW_LINKS)) {
            boolean ours = Files.isRegularFile(commonDir, LinkOption.NOFOLLOW_LINKS)
                    && read(commonDir).equals(Protection.PLACEHOLDER_CONTENT);
            protect(commonDir, ours ? Kind.PLACEHOLDER : Kind.READ_ONLY);
            return;
        }
        requireNoLinksUpTo(commonDir);
        createPlaceholder(commonDir, Protection.PLACEHOLDER_CONTENT);
        protect(commonDir, Kind.PLACEHOLDER);
    }

    /**
     * Existing submodule git directories stay usable (pinned read-write, their configuration and
     * hooks read-only) inside a read-only {@code modules} folder, so no new one can be planted.
     */
    private void protectModules(Path modules, int depth) {
        if (depth > 4) return;
        forEachChild(modules, dir -> {
            if (Files.isRegularFile(dir.resolve("config"), LinkOption.NOFOLLOW_LINKS)) {
                protect(dir, Kind.PINNED);
                protectGitDir(dir);
            } else {
                protect(dir, Kind.READ_ONLY);
                protectModules(dir, depth + 1);
            }
        });
    }

    /**
     * A hooks folder inside the workspace is read-only (an empty read-only one if missing). When it
     * lies in a dot-folder such as {@code .husky/_}, the whole dot-folder is: its hooks run the
     * scripts beside them.
     */
    private void protectHooksPath(String value) {
        if (value.startsWith("~") || value.isEmpty()) return;
        Path path = workspace.resolve(value).normalize();
        if (!path.startsWith(workspace) || path.equals(workspace)) return;
        Path top = workspace.resolve(workspace.relativize(path).getName(0));
        if (top.getFileName().toString().startsWith(".") && !top.getFileName().toString().equals(".git")) path = top;
        protectExistingOrEmpty(path);
    }

    /** A configuration file the repository's config includes from inside the workspace is read-only. */
    private void protectInclude(Path gitDir, String value) {
        if (value.startsWith("~") || value.isEmpty()) return;
        Path path = gitDir.resolve(value).normalize();
        if (!path.startsWith(workspace) || path.equals(workspace)) return;
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            protect(path, Kind.READ_ONLY);
        } else if (Files.isDirectory(path.getParent(), LinkOption.NOFOLLOW_LINKS)) {
            requireNoLinksUpTo(path);
            createPlaceholder(path, "");
            protect(path, Kind.PLACEHOLDER);
        } else {
            protectExistingOrEmpty(path);
        }
    }

    /**
     * Linked worktrees: existing ones keep working (their folder pinned, the files that say where
     * their repository and configuration are read-only); no new one can be added from inside.
     */
    private void protectWorktrees(Path worktrees) {
        if (!Files.isDirectory(worktrees, LinkOption.NOFOLLOW_LINKS)) {
            protect(worktrees, Kind.EMPTY);
            return;
        }
        protect(worktrees, Kind.READ_ONLY);
        forEachChild(worktrees, dir -> {
            protect(dir, Kind.PINNED);
            for (String name : List.of("commondir", "gitdir", "config.worktree")) {
                Path file = dir.resolve(name);
                if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) protect(file, Kind.READ_ONLY);
            }
        });
    }

    private void protectExistingOrEmpty(Path path) {
        protect(path, Files.exists(path, LinkOption.NOFOLLOW_LINKS) ? Kind.READ_ONLY : Kind.EMPTY);
    }

    /**
     * Protects the path and pins every directory between the workspace and it: a directory that
     * holds mount points can still be renamed, and renaming it would let the sandbox put a fresh
     * copy where the host looks.
     */
    private void protect(Path path, Kind kind) {
        if (Files.isSymbolicLink(path)) {
            throw refuse(path, "is a symbolic link, which a sandbox could redirect");
        }
        List<Path> ancestors = new ArrayList<>();
        for (Path parent = path.getParent(); parent != null && parent.startsWith(workspace) && !parent.equals(workspace);
             parent = parent.getParent()) {
            if (Files.isSymbolicLink(parent)) throw refuse(parent, "is a symbolic link, which a sandbox could redirect");
            ancestors.addFirst(parent);
        }
        for (Path ancestor : ancestors) {
            if (!Files.exists(ancestor, LinkOption.NOFOLLOW_LINKS)) {
                // nothing below a missing folder exists: an empty read-only one in its place covers it all
                protect(ancestor, Kind.EMPTY);
                return;
            }
        }
        for (Path ancestor : ancestors) {
            if (protections.stream().noneMatch(p -> p.path().equals(ancestor))) {
                protections.add(new Protection(ancestor, Kind.PINNED));
            }
        }
        protections.removeIf(p -> p.path().equals(path) && p.kind() == Kind.PINNED);
        protections.add(new Protection(path, kind));
    }

    /** Before Corral writes anything: no folder between the workspace and the path may be a link. */
    private void requireNoLinksUpTo(Path path) {
        for (Path parent = path.getParent(); parent != null && parent.startsWith(workspace) && !parent.equals(workspace);
             parent = parent.getParent()) {
            if (Files.isSymbolicLink(parent)) throw refuse(parent, "is a symbolic link, which a sandbox could redirect");
        }
    }

    private static Optional<Path> gitDirOf(Path dotGitFile) {
        String text = read(dotGitFile).strip();
        if (!text.startsWith("gitdir:")) return Optional.empty();
        Path target = Path.of(text.substring("gitdir:".length()).strip());
        Path resolved = dotGitFile.getParent().resolve(target).normalize();
        return Files.isDirectory(resolved, LinkOption.NOFOLLOW_LINKS) ? Optional.of(resolved) : Optional.empty();
    }

    private static void forEachChild(Path dir, java.util.function.Consumer<Path> action) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) action.accept(child);
            }
        } catch (IOException e) {
            throw new SandboxException("cannot read " + dir + ": " + e.getMessage(), "check its permissions", e);
        }
    }

    private static boolean isEmptyDirectory(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return false;
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            return !children.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new SandboxException("cannot read " + file + ": " + e.getMessage(), "check its permissions", e);
        }
    }

    private static void createPlaceholder(Path file, String content) {
        try {
            MountPoints.createPlaceholder(file, content);
        } catch (IOException e) {
            throw new SandboxException("cannot create " + file + " to protect it: " + e.getMessage(), "check its permissions", e);
        }
    }

    private static void createDirectory(Path dir) {
        try {
            Files.createDirectory(dir);
        } catch (IOException e) {
            throw new SandboxException("cannot create " + dir + " to protect it: " + e.getMessage(), "check its permissions", e);
        }
    }

    private static void createFile(Path file) {
        try {
            Files.createFile(file);
        } catch (IOException e) {
            throw new SandboxException("cannot create " + file + " to protect it: " + e.getMessage(), "check its permissions", e);
        }
    }

    private static SandboxException refuse(Path path, String why) {
        return new SandboxException(path + " " + why + "; refusing to start a sandbox that could rewrite it",
                "make it a plain file or directory inside the workspace");
    }
}
