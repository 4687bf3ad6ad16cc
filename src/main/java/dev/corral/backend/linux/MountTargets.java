package dev.corral.backend.linux;

import dev.corral.sandbox.SandboxException;
import dev.corral.sandbox.Volume;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Readies the destinations of mounts that land in a place the sandbox could write before (its home,
 * its workspace): bubblewrap follows links in a destination while the host's root is still in
 * reach, so a link the sandbox planted on a previous run would have it create folders and files on
 * the host. Each step of such a destination is checked without following links and created here,
 * from the host's side; a link anywhere on the way stops the launch.
 */
public final class MountTargets {
    /** A folder the sandbox sees at {@code inside}, which is {@code onHost} on the host. */
    public record Base(Path inside, Path onHost) {
    }

    private MountTargets() {
    }

    /**
     * @param bases  the writable places the mounts may land in (the home, the workspace)
     * @param mounts in the order bubblewrap mounts them; a later one may land inside an earlier one
     */
    public static void prepare(List<Base> bases, List<Volume> mounts) {
        List<Base> known = new ArrayList<>(bases);
        for (Volume mount : mounts) {
            Path destination = mount.sandboxPath();
            Base base = null;
            for (Base b : known) {
                if (destination.startsWith(b.inside()) && !destination.equals(b.inside())
                        && (base == null || b.inside().getNameCount() > base.inside().getNameCount())) {
                    base = b;
                }
            }
            if (base != null) {
                walk(base.onHost(), base.inside().relativize(destination), Files.isDirectory(mount.hostPath()));
            }
            known.add(new Base(destination, mount.hostPath()));
        }
    }

    static void walk(Path root, Path relative, boolean directory) {
        Path current = root;
        int steps = relative.getNameCount();
        for (int i = 0; i < steps; i++) {
            current = current.resolve(relative.getName(i));
            boolean last = i == steps - 1;
            try {
                BasicFileAttributes attributes = attributes(current);
                if (attributes == null) {
                    if (last && !directory) {
                        Files.newByteChannel(current, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                    } else {
                        Files.createDirectory(current);
                    }
                    continue;
                }
                if (attributes.isSymbolicLink()) {
                    throw new SandboxException("the mount point " + current + " is a link (a sandbox may have planted it)",
                            "remove it and run again: rm " + current);
                }
                if (!last && !attributes.isDirectory()) {
                    throw new SandboxException("the mount point's folder " + current + " is not a folder", "remove it and run again: rm " + current);
                }
            } catch (FileAlreadyExistsException e) {
                throw new SandboxException("the mount point " + current + " appeared while it was made", "run again", e);
            } catch (IOException e) {
                throw new SandboxException("cannot prepare the mount point " + current + ": " + e.getMessage(), "check its permissions", e);
            }
        }
    }

    private static BasicFileAttributes attributes(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
