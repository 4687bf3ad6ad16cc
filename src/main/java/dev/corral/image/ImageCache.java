package dev.corral.image;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where root filesystem tarballs are kept between builds: {@code CORRAL_IMAGE_CACHE} when set (CI
 * points it at a folder it keeps between runs), else {@code $XDG_CACHE_HOME/corral/images}, else
 * {@code ~/.cache/corral/images}. One tarball per image, named after its reference, so a changed
 * package list (a new tag) never reuses an old one.
 */
public record ImageCache(Path dir) {
    public static final String ENV = "CORRAL_IMAGE_CACHE";

    public ImageCache {
        if (!dir.isAbsolute()) throw new IllegalArgumentException("the image cache must be an absolute path: " + dir);
    }

    /** @param workingDir what a relative {@code CORRAL_IMAGE_CACHE} is taken from */
    public static ImageCache fromEnvironment(Map<String, String> env, Path home, Path workingDir) {
        String configured = env.get(ENV);
        if (configured != null && !configured.isBlank()) return new ImageCache(workingDir.resolve(configured).normalize());
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : home.resolve(".cache");
        return new ImageCache(base.resolve("corral").resolve("images"));
    }

    /** The tarball of an image's root filesystem: {@code corral/base:bookworm-1a2b} is {@code corral-base-bookworm-1a2b.tar}. */
    public Path tarball(String reference) {
        return dir.resolve(fileName(reference) + ".tar");
    }

    /** The lock held while the tarball is built, so two builds never write it at once. */
    Path lock(String reference) {
        return dir.resolve("." + fileName(reference) + ".lock");
    }

    static String fileName(String reference) {
        return reference.replaceAll("[^A-Za-z0-9._-]", "-");
    }
}
