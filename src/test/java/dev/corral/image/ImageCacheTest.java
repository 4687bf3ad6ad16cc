package dev.corral.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where root filesystem tarballs are kept, and their names. */
class ImageCacheTest {
    private static final Path HOME = Path.of("/home/ada");
    private static final Path WORKING = Path.of("/work/project");

    @Test
    void corralImageCacheWinsOverEverything() {
        ImageCache cache = ImageCache.fromEnvironment(Map.of("CORRAL_IMAGE_CACHE", "/ci/cache", "XDG_CACHE_HOME", "/xdg"), HOME, WORKING);
        assertEquals(Path.of("/ci/cache"), cache.dir());
    }

    @Test
    void relativeCorralImageCacheIsTakenFromTheWorkingFolder() {
        ImageCache cache = ImageCache.fromEnvironment(Map.of("CORRAL_IMAGE_CACHE", ".cache/images"), HOME, WORKING);
        assertEquals(Path.of("/work/project/.cache/images"), cache.dir());
    }

    @Test
    void xdgCacheHomeComesNext() {
        assertEquals(Path.of("/xdg/corral/images"), ImageCache.fromEnvironment(Map.of("XDG_CACHE_HOME", "/xdg"), HOME, WORKING).dir());
    }

    @Test
    void relativeXdgCacheHomeIsIgnoredAsTheSpecificationSays() {
        assertEquals(Path.of("/home/ada/.cache/corral/images"),
                ImageCache.fromEnvironment(Map.of("XDG_CACHE_HOME", "xdg"), HOME, WORKING).dir());
    }

    @Test
    void homeCacheIsTheDefault() {
        assertEquals(Path.of("/home/ada/.cache/corral/images"), ImageCache.fromEnvironment(Map.of(), HOME, WORKING).dir());
    }

    @Test
    void tarballIsNamedAfterTheImageReference() {
        ImageCache cache = new ImageCache(Path.of("/c"));
        assertEquals(Path.of("/c/corral-base-bookworm-1a2b3c4d.tar"), cache.tarball("corral/base:bookworm-1a2b3c4d"));
        assertEquals(Path.of("/c/registry.local-5000-corral-base-x.tar"), cache.tarball("registry.local:5000/corral/base:x"));
    }
}
