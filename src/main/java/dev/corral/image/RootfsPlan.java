package dev.corral.image;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The programs that build a root filesystem tarball, worked out before any runs: mmdebstrap
 * writes the tarball itself (as root, or without root in its unshare mode); debootstrap, which
 * needs root, fills a scratch folder that tar then packs.
 *
 * @param scratch a folder the steps fill, to be removed afterwards
 */
record RootfsPlan(String tool, List<List<String>> steps, Optional<Path> scratch) {
    static final String MMDEBSTRAP_PACKAGE = "sudo apt-get install mmdebstrap";

    RootfsPlan {
        steps = steps.stream().map(List::copyOf).toList();
    }

    /**
     * How this host builds {@code recipe} into {@code target}; a clear error when it can't.
     *
     * @param kept where the tarball is kept once built: what a user who builds it by hand should write
     */
    static RootfsPlan of(RootfsRecipe recipe, BuildHost host, Path target, Path kept) {
        if (host.mmdebstrap().isPresent()) return mmdebstrap(recipe, host, target, kept);
        if (host.debootstrap().isPresent()) return debootstrap(recipe, host, target);
        throw new ImageException("neither mmdebstrap nor debootstrap is installed; Corral builds its base image's root filesystem with one",
                "install mmdebstrap: " + MMDEBSTRAP_PACKAGE);
    }

    private static RootfsPlan mmdebstrap(RootfsRecipe recipe, BuildHost host, Path target, Path kept) {
        List<String> argv = new ArrayList<>(List.of(host.mmdebstrap().orElseThrow().toString(), "--variant=minbase"));
        if (!host.root()) {
            List<String> gaps = host.unshareGaps();
            if (!gaps.isEmpty()) {
                throw new ImageException("without root, mmdebstrap builds the root filesystem only in its unshare mode, which needs "
                        + String.join(", ", gaps), String.join("; ", host.unshareFixes()) + " (or build the tarball once as root: sudo "
                        + String.join(" ", command(recipe, List.of("mmdebstrap", "--variant=minbase"), kept)) + " && sudo chown "
                        + host.user() + ": " + kept + ")");
            }
            argv.add("--mode=unshare");
        }
        argv.add("--format=tar");
        return new RootfsPlan("mmdebstrap", List.of(command(recipe, argv, target)), Optional.empty());
    }

    private static RootfsPlan debootstrap(RootfsRecipe recipe, BuildHost host, Path target) {
        if (!host.root()) {
            throw new ImageException("debootstrap, the only root filesystem builder installed, needs root",
                    "install mmdebstrap, which builds it without root: " + MMDEBSTRAP_PACKAGE);
        }
        if (recipe.mirror().isPresent() && !recipe.mirror().get().contains("://")) {
            throw new ImageException("debootstrap takes a mirror's URI, not " + recipe.mirror().get(),
                    "set " + RootfsRecipe.MIRROR_ENV + " to a URI such as http://deb.debian.org/debian, or install mmdebstrap");
        }
        Path scratch = target.resolveSibling(target.getFileName() + ".root");
        List<String> debootstrap = new ArrayList<>(List.of(host.debootstrap().orElseThrow().toString(), "--variant=minbase",
                "--include=" + String.join(",", recipe.packages()), recipe.suite(), scratch.toString()));
        recipe.mirror().ifPresent(debootstrap::add);
        List<String> tar = List.of("tar", "--numeric-owner", "-C", scratch.toString(), "-cf", target.toString(), ".");
        return new RootfsPlan("debootstrap", List.of(debootstrap, tar), Optional.of(scratch));
    }

    /** The options, the packages, then after {@code --} (nothing below can pass for an option) the suite, target and mirror. */
    private static List<String> command(RootfsRecipe recipe, List<String> options, Path target) {
        List<String> argv = new ArrayList<>(options);
        argv.add("--include=" + String.join(",", recipe.packages()));
        argv.add("--");
        argv.add(recipe.suite());
        argv.add(target.toString());
        recipe.mirror().ifPresent(argv::add);
        return argv;
    }
}
