package dev.corral.agents;

import dev.corral.support.Json;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads which version a finished install holds, from the package manager's own metadata in the
 * staging folder. What the installer wrote is untrusted: the answer must be a plain version.
 */
public final class InstalledVersion {
    private InstalledVersion() {
    }

    public static Optional<String> of(AgentProfile profile, Path pkgDir) {
        try {
            return switch (profile.install().registry()) {
                case NPM -> npm(pkgDir, pkgDir.resolve("node_modules").resolve(profile.install().pkg()).resolve("package.json"));
                case PYPI -> pypi(pkgDir, profile.install().pkg());
                case HOST -> Optional.empty();
            };
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> npm(Path pkgDir, Path packageJson) throws IOException {
        if (!Files.isRegularFile(packageJson, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.size(packageJson) > 1 << 20
                || !packageJson.toRealPath().startsWith(pkgDir.toRealPath())) {
            return Optional.empty(); // what the installer wrote may be a link out of the staging folder: not read
        }
        Object version = Json.parseObject(Files.readString(packageJson)).get("version");
        return version instanceof String v && AgentVersion.isPlain(v) ? Optional.of(v) : Optional.empty();
    }

    /** {@code lib/python3.X/site-packages/aider_chat-0.86.1.dist-info} */
    private static Optional<String> pypi(Path venv, String pkg) throws IOException {
        String prefix = pkg.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "_") + "-";
        try (DirectoryStream<Path> libs = Files.newDirectoryStream(venv.resolve("lib"), "python3*")) {
            for (Path lib : libs) {
                try (DirectoryStream<Path> infos = Files.newDirectoryStream(lib.resolve("site-packages"), "*.dist-info")) {
                    for (Path info : infos) {
                        String name = info.getFileName().toString();
                        String lower = name.toLowerCase(Locale.ROOT);
                        if (!lower.startsWith(prefix)) continue;
                        String version = name.substring(prefix.length(), name.length() - ".dist-info".length());
                        if (AgentVersion.isPlain(version)) return Optional.of(version);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
