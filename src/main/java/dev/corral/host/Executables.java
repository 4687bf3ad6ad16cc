package dev.corral.host;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds programs Corral relies on, in the usual system places first, then on PATH. */
public final class Executables {
    private Executables() {
    }

    public static Optional<Path> find(String name) {
        for (String dir : new String[]{"/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin"}) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty() || !dir.startsWith("/")) continue;
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    /** The program, or a {@link HostException} naming the package that provides it. */
    public static Path require(String name, String debianPackage) {
        return find(name).orElseThrow(() -> new HostException(name + " is not installed",
                "install it: sudo apt-get install " + debianPackage));
    }
}
