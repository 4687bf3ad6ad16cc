package dev.corral.backend.linux;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the sandbox's read-only system view is made of, read off the host: the top-level system
 * entries (merged-/usr symlinks or real directories), the secret files under /etc that must be
 * masked, and the /proc files that leak kernel state.
 *
 * @param systemEntries /usr, /etc, /bin… that exist, with their symlink target if they are links
 * @param secretFiles   files only their owner or group may read (shadow, host keys, sudoers…)
 * @param secretDirs    directories only their owner or group may enter (/etc/ssl/private…)
 * @param procMasks     /proc entries to hide behind /dev/null
 * @param procReadOnly  /proc folders of kernel knobs to bind read-only
 * @param setsid        util-linux setsid, used to give an interactive sandbox its own terminal
 * @param socat         socat, the forwarder from the sandbox's loopback to its proxy's socket
 */
public record HostLayout(List<SystemEntry> systemEntries, List<Path> secretFiles, List<Path> secretDirs,
                         List<Path> procMasks, List<Path> procReadOnly, Optional<Path> setsid, Optional<Path> socat) {

    public record SystemEntry(Path path, Optional<Path> symlinkTarget) {
    }

    private static final int OTHERS_READ = 0004;
    private static final int OTHERS_EXECUTE = 0001;
    static final List<String> SYSTEM_PATHS = List.of("/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32", "/etc", "/opt");
    /**
     * Where the root invoker's scan looks for files an ordinary user could not read: the whole of
     * /etc and /opt, and the few places in /usr that hold such files (all of /usr would take seconds).
     */
    static final List<String> SECRET_ROOTS = List.of("/etc", "/usr/local/etc", "/usr/share/polkit-1", "/opt");
    static final List<String> PROC_READ_ONLY = List.of("/proc/sys", "/proc/irq", "/proc/bus", "/proc/fs",
            "/proc/driver", "/proc/acpi", "/proc/scsi", "/proc/asound", "/proc/tty");
    public static final List<String> PROC_MASKS = List.of("/proc/kcore", "/proc/keys", "/proc/key-users", "/proc/timer_list",
            "/proc/sched_debug", "/proc/latency_stats", "/proc/kallsyms", "/proc/kmsg", "/proc/vmallocinfo", "/proc/slabinfo",
            "/proc/pagetypeinfo", "/proc/sysrq-trigger", "/proc/config.gz");
    /** Always masked, whatever their mode: the classic secrets, so a loosened mode can't leak them. */
    public static final List<String> ALWAYS_SECRET = List.of("/etc/shadow", "/etc/shadow-", "/etc/gshadow", "/etc/gshadow-",
            "/etc/sudoers", "/etc/security/opasswd", "/etc/subuid", "/etc/subgid");

    /** Reads the layout; the secret scan of /etc and /opt runs only when {@code scanSecrets}. */
    public static HostLayout scan(boolean scanSecrets) {
        List<SystemEntry> entries = new ArrayList<>();
        for (String p : SYSTEM_PATHS) {
            Path path = Path.of(p);
            if (Files.isSymbolicLink(path)) {
                try {
                    entries.add(new SystemEntry(path, Optional.of(Files.readSymbolicLink(path))));
                } catch (IOException ignored) {
                    // unreadable link: leave it out
                }
            } else if (Files.isDirectory(path)) {
                entries.add(new SystemEntry(path, Optional.empty()));
            }
        }
        List<Path> files = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        for (String p : ALWAYS_SECRET) {
            Path path = Path.of(p);
            if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) files.add(path);
        }
        if (scanSecrets && !SecretScan.withFind(SECRET_ROOTS, files, dirs)) {
            for (String root : SECRET_ROOTS) scanSecrets(Path.of(root), files, dirs);
        }
        List<Path> proc = PROC_MASKS.stream().map(Path::of).filter(Files::exists).toList();
        List<Path> procReadOnly = PROC_READ_ONLY.stream().map(Path::of).filter(Files::isDirectory).toList();
        Optional<Path> setsid = Optional.of(Path.of("/usr/bin/setsid")).filter(Files::isExecutable);
        Optional<Path> socat = Optional.of(Path.of("/usr/bin/socat")).filter(Files::isExecutable);
        return new HostLayout(entries, files.stream().distinct().toList(), dirs, proc, procReadOnly, setsid, socat);
    }

    private static void scanSecrets(Path root, List<Path> files, List<Path> dirs) {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) return;
        try {
            Files.walkFileTree(root, Set.of(), 6, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    // a folder others may not list (0711: enter only) is masked too, or root inside could list it
                    if (!dir.equals(root) && !othersMay(dir, OTHERS_READ | OTHERS_EXECUTE)) {
                        dirs.add(dir);
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isRegularFile() && !othersMay(file, OTHERS_READ)) files.add(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignored) {
            // what could not be read is not listed; the fixed list above still applies
        }
    }

    /**
     * Whether others have every one of {@code bits}. Reads only the mode bits ("unix:mode"): owner
     * and group name look-ups would cost more than the walk.
     */
    private static boolean othersMay(Path path, int bits) throws IOException {
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return (mode & bits) == bits;
    }
}
