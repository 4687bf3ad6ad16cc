package dev.corral.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The root filesystem builder's command lines, worked out for each kind of host. */
class RootfsPlanTest {
    private static final Path TARGET = Path.of("/cache/.corral-base-bookworm-1.tar.partial-0");
    private static final Path KEPT = Path.of("/cache/corral-base-bookworm-1.tar");
    private static final RootfsRecipe RECIPE = new RootfsRecipe("bookworm", List.of("git", "socat"), Optional.empty());
    private static final Optional<Path> MMDEBSTRAP = Optional.of(Path.of("/usr/bin/mmdebstrap"));
    private static final Optional<Path> DEBOOTSTRAP = Optional.of(Path.of("/usr/sbin/debootstrap"));
    private static final List<String> SUBIDS = List.of("root:100000:65536", "ada:165536:65536");

    private static BuildHost host(boolean root, Optional<Path> mmdebstrap, Optional<Path> debootstrap) {
        return new BuildHost(root, root ? "root" : "ada", mmdebstrap, debootstrap, true, SUBIDS, SUBIDS);
    }

    @Test
    void rootRunsMmdebstrapInItsOwnChoiceOfModeWithItsDefaultMirrors() {
        RootfsPlan plan = RootfsPlan.of(RECIPE, host(true, MMDEBSTRAP, DEBOOTSTRAP), TARGET, KEPT);

        assertEquals(List.of(List.of("/usr/bin/mmdebstrap", "--variant=minbase", "--format=tar", "--include=git,socat", "--",
                "bookworm", TARGET.toString())), plan.steps());
        assertEquals(Optional.empty(), plan.scratch());
    }

    @Test
    void userRunsMmdebstrapInItsUnshareMode() {
        RootfsPlan plan = RootfsPlan.of(RECIPE, host(false, MMDEBSTRAP, Optional.empty()), TARGET, KEPT);

        assertEquals(List.of("/usr/bin/mmdebstrap", "--variant=minbase", "--mode=unshare", "--format=tar", "--include=git,socat", "--",
                "bookworm", TARGET.toString()), plan.steps().getFirst());
    }

    @Test
    void mirrorComesLast() {
        RootfsRecipe recipe = new RootfsRecipe("bookworm", List.of("git"), Optional.of("http://mirror.example/debian"));
        List<String> argv = RootfsPlan.of(recipe, host(true, MMDEBSTRAP, Optional.empty()), TARGET, KEPT).steps().getFirst();

        assertEquals(List.of("bookworm", TARGET.toString(), "http://mirror.example/debian"), argv.subList(argv.size() - 3, argv.size()));
    }

    @Test
    void userWithoutSubordinateIdsIsToldWhatUnshareModeLacks() {
        BuildHost host = new BuildHost(false, "ada", MMDEBSTRAP, Optional.empty(), false, List.of("root:100000:65536"), List.of());

        ImageException e = assertThrows(ImageException.class, () -> RootfsPlan.of(RECIPE, host, TARGET, KEPT));
        assertTrue(e.getMessage().contains("unshare mode"), e.getMessage());
        assertTrue(e.getMessage().contains("newuidmap and newgidmap (package uidmap)"), e.getMessage());
        assertTrue(e.getMessage().contains("a range for ada in /etc/subuid"), e.getMessage());
        assertTrue(e.getMessage().contains("a range for ada in /etc/subgid"), e.getMessage());
        assertTrue(e.fix().orElseThrow().contains("usermod --add-subuids"), e.fix().orElseThrow());
        assertTrue(e.fix().orElseThrow().contains(KEPT.toString()), "the manual build writes where the cache looks: " + e.fix().orElseThrow());
    }

    @Test
    void rootWithOnlyDebootstrapFillsAScratchFolderThatTarPacks() {
        RootfsPlan plan = RootfsPlan.of(RECIPE, host(true, Optional.empty(), DEBOOTSTRAP), TARGET, KEPT);
        Path scratch = plan.scratch().orElseThrow();

        assertEquals(TARGET.getParent(), scratch.getParent());
        assertEquals(List.of(
                List.of("/usr/sbin/debootstrap", "--variant=minbase", "--include=git,socat", "bookworm", scratch.toString()),
                List.of("tar", "--numeric-owner", "-C", scratch.toString(), "-cf", TARGET.toString(), ".")), plan.steps());
    }

    @Test
    void userWithOnlyDebootstrapIsToldToInstallMmdebstrap() {
        ImageException e = assertThrows(ImageException.class,
                () -> RootfsPlan.of(RECIPE, host(false, Optional.empty(), DEBOOTSTRAP), TARGET, KEPT));
        assertTrue(e.getMessage().contains("needs root"), e.getMessage());
        assertTrue(e.fix().orElseThrow().contains("apt-get install mmdebstrap"), e.fix().orElseThrow());
    }

    @Test
    void hostWithNeitherBuilderIsToldToInstallMmdebstrap() {
        ImageException e = assertThrows(ImageException.class,
                () -> RootfsPlan.of(RECIPE, host(true, Optional.empty(), Optional.empty()), TARGET, KEPT));
        assertEquals("install mmdebstrap: sudo apt-get install mmdebstrap", e.fix().orElseThrow());
    }

    @Test
    void mirrorFromTheEnvironmentMustBeAMirror() {
        assertEquals(Optional.of("http://deb.example/debian"), RootfsRecipe.base(Map.of("CORRAL_DEBIAN_MIRROR", " http://deb.example/debian ")).mirror());
        assertEquals(Optional.empty(), RootfsRecipe.base(Map.of()).mirror());
        assertThrows(ImageException.class, () -> RootfsRecipe.base(Map.of("CORRAL_DEBIAN_MIRROR", "--hook-dir=/tmp/x")));
        assertThrows(ImageException.class, () -> RootfsRecipe.base(Map.of("CORRAL_DEBIAN_MIRROR", "deb.debian.org")));
    }

    @Test
    void baseRecipeIsCorralsPackageList() {
        RootfsRecipe recipe = RootfsRecipe.base(Map.of());
        assertEquals(CorralImages.SUITE, recipe.suite());
        assertTrue(recipe.packages().containsAll(List.of("bash", "coreutils", "socat", "git", "ca-certificates", "nodejs", "curl", "python3")),
                recipe.packages().toString());
    }
}
