package dev.corral.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.time.Duration;

/**
 * Private copies of the harmless character devices (null, zero, full, random, urandom, tty) for
 * sandboxes that root starts. bubblewrap binds the host's own device files into /dev, and inside
 * a root-started sandbox the process is the host's uid 0, which owns them: it could chmod the
 * host's /dev/null. Copies made here are the same devices in other inodes.
 */
public final class DeviceNodes {
    /** Name, major and minor of each device, as in the kernel's devices.txt. */
    public static final List<Device> DEVICES = List.of(new Device("null", 1, 3), new Device("zero", 1, 5),
            new Device("full", 1, 7), new Device("random", 1, 8), new Device("urandom", 1, 9), new Device("tty", 5, 0));

    public record Device(String name, int major, int minor) {
        long rdev() {
            return ((long) major << 8) | minor;
        }
    }

    private DeviceNodes() {
    }

    /** Makes sure {@code dir} holds a correct copy of each device (mode 0666), creating what is missing. */
    public static Path ensure(Path dir) {
        try {
            dev.corral.support.Files2.createPrivateDirectories(dir);
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            for (Device device : DEVICES) {
                Path node = dir.resolve(device.name());
                if (isDevice(node, device)) continue;
                Files.deleteIfExists(node);
                run(List.of("/usr/bin/mknod", "-m", "0666", node.toString(), "c",
                        Integer.toString(device.major()), Integer.toString(device.minor())));
                if (!isDevice(node, device)) throw new IOException("mknod did not create " + node);
            }
            return dir;
        } catch (IOException e) {
            throw new HostException("cannot create the sandbox's device files in " + dir + ": " + e.getMessage(),
                    "check that " + dir.getParent() + " is on a file system that allows device files", e);
        }
    }

    private static boolean isDevice(Path node, Device device) {
        try {
            if (!Files.exists(node, LinkOption.NOFOLLOW_LINKS)) return false;
            int mode = (Integer) Files.getAttribute(node, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            long rdev = (Long) Files.getAttribute(node, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
            int uid = (Integer) Files.getAttribute(node, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            return (mode & 0170000) == 0020000 && rdev == device.rdev() && (mode & 07777) == 0666 && uid == 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void run(List<String> argv) throws IOException {
        if (!HostCommand.run(argv, Duration.ofSeconds(10)).map(HostCommand.Output::ok).orElse(false)) {
            throw new IOException(String.join(" ", argv) + " failed");
        }
    }
}
