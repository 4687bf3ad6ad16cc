package dev.corral.git;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a sandbox's checkout before the host's git reads its repository. The sandbox cannot write
 * W/.git/config, its hooks or its alternates (they are mounted read-only), so these checks expect
 * to pass; they are here so that a failure of that protection, or a checkout changed on the host,
 * makes Corral stop rather than run a git that obeys settings the agent wrote. What they rule out:
 * W or W/.git being links (git would read another repository), a {@code commondir} (git would read
 * the settings of the folder it names), settings beyond the inert ones Corral wrote (an
 * {@code include.path}, {@code core.fsmonitor}…), alternates beyond the user's object folders, and
 * links or FIFOs anywhere in W/.git. What remains (the agent's objects and refs, however malformed)
 * is data git parses and refuses when broken.
 */
final class SandboxCheckout {
    private static final long MAX_CONFIG_BYTES = 64 * 1024;

    private SandboxCheckout() {
    }

    /**
     * The sandbox's protection puts a {@code commondir} naming the repository itself ({@code .}) in
     * its place, read-only, so the sandbox can't plant one: that one changes nothing.
     */
    private static boolean isSelfPlaceholder(Path file) {
        try {
            return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) < 16 && Files.readString(file).equals(".\n");
        } catch (IOException e) {
            return false;
        }
    }

    /** W/.git, once it is plainly the repository Corral made; a {@link GitException} otherwise. */
    static Path verify(Git git, SandboxWorktree worktree) {
        Path w = worktree.path();
        if (!Files.exists(w, LinkOption.NOFOLLOW_LINKS)) {
            throw new GitException("the sandbox's checkout " + w + " is gone", "corral rm --force removes what is left of the sandbox");
        }
        if (!Files.isDirectory(w, LinkOption.NOFOLLOW_LINKS) || !isReal(w)) refuse(w, "it is not a plain folder");
        Path dotGit = worktree.gitDir();
        if (!Files.isDirectory(dotGit, LinkOption.NOFOLLOW_LINKS)) refuse(w, ".git is not a plain folder");
        for (String name : List.of("commondir", "gitdir")) {
            Path file = dotGit.resolve(name);
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !(name.equals("commondir") && isSelfPlaceholder(file))) {
                refuse(w, ".git has a " + name);
            }
        }
        Path config = dotGit.resolve("config");
        try {
            if (!Files.isRegularFile(config, LinkOption.NOFOLLOW_LINKS) || Files.size(config) > MAX_CONFIG_BYTES) {
                refuse(w, ".git/config is not a small plain file");
            }
        } catch (IOException e) {
            refuse(w, ".git/config cannot be read");
        }
        List<String> settings = settingsBeyondTheInertOnes(git, config);
        if (!settings.isEmpty()) refuse(w, "settings " + GitException.listed(settings) + " in .git/config");
        Path alternates = dotGit.resolve("objects/info/alternates");
        if (Files.exists(alternates, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isRegularFile(alternates, LinkOption.NOFOLLOW_LINKS)) refuse(w, "its alternates file is not a plain file");
            Set<Path> allowed = new HashSet<>(ObjectDirectories.of(worktree.commonDir()));
            for (String entry : ObjectDirectories.entries(alternates)) {
                Path named = Path.of(entry);
                if (!named.isAbsolute() || !allowed.contains(named.normalize())) refuse(w, "its alternates name " + GitException.printable(entry));
            }
        }
        Path odd = oddEntry(dotGit);
        if (odd != null) refuse(w, ".git/" + GitException.printable(dotGit.relativize(odd).toString()) + " is a link, FIFO, socket, device or unreadable");
        return dotGit;
    }

    /**
     * The first entry of W/.git that is neither a folder nor a plain file; null if none. git creates
     * nothing else there; a link could lead its reads to the host's files (another repository's
     * pack, say) and a FIFO would make it wait forever. The hooks folder is never read.
     */
    private static Path oddEntry(Path dotGit) {
        Path[] found = new Path[1];
        try {
            Files.walkFileTree(dotGit, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return dir.equals(dotGit.resolve("hooks")) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) return FileVisitResult.CONTINUE;
                    found[0] = file;
                    return FileVisitResult.TERMINATE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    found[0] = file;
                    return FileVisitResult.TERMINATE;
                }
            });
        } catch (IOException e) {
            return dotGit;
        }
        return found[0];
    }

    private static List<String> settingsBeyondTheInertOnes(Git git, Path config) {
        Git.Result listed = git.run(GitCommand.withoutRepository().args("config", "--file", config.toString(), "--no-includes", "--list", "-z"));
        if (!listed.ok()) return List.of("that git cannot read (" + listed.reason() + ")");
        List<String> other = new ArrayList<>();
        for (String entry : Git.fields(listed.stdout())) {
            int newline = entry.indexOf('\n');
            String key = newline < 0 ? entry : entry.substring(0, newline);
            String line = newline < 0 ? key + "=" : key + "=" + entry.substring(newline + 1);
            if (!EmbeddedRepositories.INERT.matcher(line).matches()) other.add(key);
        }
        return other;
    }

    private static boolean isReal(Path path) {
        try {
            return path.toRealPath().equals(path);
        } catch (IOException e) {
            return false;
        }
    }

    private static void refuse(Path w, String why) {
        throw new GitException("the sandbox's checkout " + w + " is not as Corral made it (" + why + "), so Corral runs no git on it",
                "inspect it; corral rm --force removes the sandbox and its checkout");
    }
}
