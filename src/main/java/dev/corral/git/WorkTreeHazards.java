package dev.corral.git;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What in the sandbox's files would make {@code git add} wait forever. git checks a file's type
 * before it reads a file it adds, so a FIFO in place of a file is skipped; but it opens without
 * looking first the {@code .gitignore} and {@code .gitattributes} of every folder it visits, and
 * the {@code HEAD}, refs and {@code commondir} of every folder with a {@code .git} of its own, and
 * opening a FIFO blocks until someone writes to it. A walk of the files finds such places; the
 * folders holding them are left out of the snapshot (git then neither enters nor probes them). A
 * {@code .git*} FIFO at the very top cannot be left out: that is an error.
 *
 * <p>The walk costs as much as a {@code find}, so it runs only when {@code git add} has taken
 * suspiciously long (see {@link Snapshots}).
 */
final class WorkTreeHazards {
    /** Folders to leave out (relative to W), and why, one note each. */
    record Found(List<String> folders, List<String> notes) {
        boolean any() {
            return !folders.isEmpty();
        }
    }

    private WorkTreeHazards() {
    }

    static Found scan(Path w) {
        Set<String> folders = new LinkedHashSet<>();
        List<String> notes = new ArrayList<>();
        try {
            Files.walkFileTree(w, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (dir.equals(w.resolve(".git"))) return FileVisitResult.SKIP_SUBTREE; // git never walks its own folder
                    if (dir.getFileName().toString().equals(".git") && !dir.equals(w.resolve(".git"))) {
                        Path root = dir.getParent();
                        Path why = blockingInside(dir);
                        if (why != null) leaveOut(root, "its .git has " + why);
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String name = file.getFileName().toString();
                    Path parent = file.getParent();
                    if (name.equals(".git") && !parent.equals(w)) {
                        if (!attrs.isRegularFile()) leaveOut(parent, "its .git is not a file or folder git can read safely");
                        else leaveOut(parent, "its .git is a file that points elsewhere");
                    } else if (name.startsWith(".git") && blocks(file, attrs)) {
                        if (parent.equals(w)) {
                            throw new GitException("cannot read the sandbox's files: " + GitException.printable(name)
                                    + " at the top of " + w + " is a FIFO or device that git would wait on forever",
                                    "delete it (rm " + w.resolve(name) + "), then try again");
                        }
                        leaveOut(parent, GitException.printable(name) + " is a FIFO or device");
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }

                private void leaveOut(Path folder, String why) {
                    String relative = w.relativize(folder).toString();
                    if (folders.add(relative)) notes.add("left out " + GitException.printable(relative) + "/: " + why);
                }
            });
        } catch (IOException e) {
            throw new GitException("cannot look through the sandbox's files in " + w + ": " + e.getMessage(), null, e);
        }
        return new Found(List.copyOf(folders), notes);
    }

    /** Whether opening this blocks: a FIFO or device, or a link to one. */
    private static boolean blocks(Path file, BasicFileAttributes attrs) {
        if (attrs.isOther()) return true;
        if (!attrs.isSymbolicLink()) return false;
        try {
            BasicFileAttributes target = Files.readAttributes(file, BasicFileAttributes.class);
            return target.isOther();
        } catch (IOException e) {
            return false; // a dangling link: opening it fails at once
        }
    }

    /** The first entry in a nested git folder that git could block on or be led elsewhere by; null if none. */
    private static Path blockingInside(Path gitDir) {
        for (String name : List.of("commondir", "gitdir")) {
            if (Files.exists(gitDir.resolve(name), LinkOption.NOFOLLOW_LINKS)) return Path.of(name);
        }
        Path[] found = new Path[1];
        try {
            Files.walkFileTree(gitDir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    String name = dir.getFileName().toString();
                    return name.equals("objects") || name.equals("hooks") || name.equals("logs") ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) return FileVisitResult.CONTINUE;
                    found[0] = gitDir.relativize(file);
                    return FileVisitResult.TERMINATE;
                }
            });
        } catch (IOException e) {
            return Path.of("unreadable parts");
        }
        return found[0] == null ? null : Path.of("a special file or link at " + found[0]);
    }
}
