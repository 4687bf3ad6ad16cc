package dev.corral.image;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a root filesystem is made of: a Debian release, the packages on top of its minimal base,
 * and where they come from — a mirror given in {@code CORRAL_DEBIAN_MIRROR}, or the builder's own
 * choice (mmdebstrap's is deb.debian.org with the release's updates and security suites).
 *
 * @param mirror a mirror's URI, or for mmdebstrap also a one-line {@code deb ...} source
 */
public record RootfsRecipe(String suite, List<String> packages, Optional<String> mirror) {
    public static final String MIRROR_ENV = "CORRAL_DEBIAN_MIRROR";

    public RootfsRecipe {
        packages = List.copyOf(packages);
        if (!suite.matches("[a-z][a-z0-9-]*")) throw new IllegalArgumentException("not a Debian release name: " + suite);
        for (String p : packages) if (!p.matches("[a-z0-9][a-z0-9+.-]+")) throw new IllegalArgumentException("not a package name: " + p);
        mirror.ifPresent(RootfsRecipe::requireMirror);
    }

    /** Corral's base: {@link CorralImages#SUITE} with {@link CorralImages#PACKAGES}, from the mirror the environment names. */
    public static RootfsRecipe base(Map<String, String> env) {
        String mirror = env.get(MIRROR_ENV);
        return new RootfsRecipe(CorralImages.SUITE, CorralImages.PACKAGES,
                mirror == null || mirror.isBlank() ? Optional.empty() : Optional.of(mirror.strip()));
    }

    private static void requireMirror(String mirror) {
        boolean uri = mirror.matches("(https?|file|mirror\\+[a-z]+)://\\S+");
        if (!uri && !mirror.startsWith("deb ")) {
            throw new ImageException(MIRROR_ENV + "=" + mirror + " is not a Debian mirror",
                    "give its URI, e.g. " + MIRROR_ENV + "=http://deb.debian.org/debian, or unset it");
        }
    }
}
