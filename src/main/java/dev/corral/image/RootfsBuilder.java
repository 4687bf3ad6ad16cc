package dev.corral.image;

import dev.corral.support.Files2;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Gives the root filesystem tarball of an image: the one in the cache, or a new one from the
 * host's builder (see {@link RootfsPlan}). A build writes a temporary file that becomes the
 * tarball by one rename once the builder succeeded, under a lock, so a cached tarball is always a
 * complete one and two builds never race.
 */
public final class RootfsBuilder {
    private static final String PARTIAL = ".partial-";
    private final ImageCache cache;
    private final RootfsRecipe recipe;
    private final BuildHost host;
    private final ProgramRunner runner;

    RootfsBuilder(ImageCache cache, RootfsRecipe recipe, BuildHost host, ProgramRunner runner) {
        this.cache = cache;
        this.recipe = recipe;
        this.host = host;
        this.runner = runner;
    }

    public static RootfsBuilder forHost(ImageCache cache, RootfsRecipe recipe, dev.corral.host.Identity identity) {
        return new RootfsBuilder(cache, recipe, BuildHost.current(identity), ProgramRunner.system());
    }

    /**
     * The tarball of {@code reference}'s root filesystem, built first unless the cache holds it.
     *
     * @param fresh build it again even so (Debian's updates since), replacing the cached one
     */
    public Path ensure(String reference, boolean fresh, Consumer<String> progress) {
        Path tarball = cache.tarball(reference);
        if (!fresh && Files.isRegularFile(tarball)) {
            progress.accept("using the root filesystem built before: " + tarball);
            return tarball;
        }
        try {
            Files.createDirectories(cache.dir());
        } catch (IOException e) {
            throw new ImageException("cannot create the image cache " + cache.dir() + ": " + e.getMessage(),
                    "check its permissions, or point " + ImageCache.ENV + " at a writable folder", e);
        }
        try (FileChannel channel = FileChannel.open(cache.lock(reference), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            if (!fresh && Files.isRegularFile(tarball)) return tarball; // another build finished it meanwhile
            removeLeftovers(reference);
            build(reference, tarball, progress);
            return tarball;
        } catch (IOException e) {
            throw new ImageException("cannot write in the image cache " + cache.dir() + ": " + e.getMessage(),
                    "check that it is writable and the disk has room", e);
        }
    }

    private void build(String reference, Path tarball, Consumer<String> progress) throws IOException {
        Path partial = tarball.resolveSibling("." + tarball.getFileName() + PARTIAL + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
        RootfsPlan plan = RootfsPlan.of(recipe, host, partial, tarball);
        progress.accept("building the root filesystem of " + reference + " with " + plan.tool() + " from "
                + recipe.mirror().orElse("Debian's mirror") + " (once: it is kept in " + cache.dir() + ")");
        long started = System.nanoTime();
        partial.toFile().deleteOnExit(); // interrupted (^C), the JVM still removes it; a killed one's is removed by the next build
        try {
            for (List<String> step : plan.steps()) {
                String tool = Path.of(step.getFirst()).getFileName().toString();
                int status = runner.run(step, line -> progress.accept(tool + ": " + line));
                if (status != 0) throw failed(plan, tool, status);
            }
            if (!Files.isRegularFile(partial) || Files.size(partial) == 0) {
                throw new ImageException(plan.tool() + " finished without writing the root filesystem " + partial, "see its messages above");
            }
            Files.move(partial, tarball, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            progress.accept(String.format("built the root filesystem in %.1f s: %s (%d MB)", (System.nanoTime() - started) / 1e9,
                    tarball, Files.size(tarball) >> 20));
        } finally {
            Files.deleteIfExists(partial);
            if (plan.scratch().isPresent()) Files2.deleteTree(plan.scratch().get());
        }
    }

    private ImageException failed(RootfsPlan plan, String tool, int status) {
        String fix = "see " + tool + "'s messages above";
        if (plan.tool().equals("mmdebstrap") && !host.root()) {
            fix += "; without root its unshare mode needs unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1; "
                    + "on Ubuntu 23.10 and later also kernel.apparmor_restrict_unprivileged_userns=0)";
        }
        if (recipe.mirror().isEmpty()) fix += "; a mirror can be given in " + RootfsRecipe.MIRROR_ENV;
        return new ImageException("building the root filesystem failed: " + tool + " exited with status " + status, fix);
    }

    /** What a killed build left: its temporary tarball and scratch folder (call with the lock held). */
    private void removeLeftovers(String reference) throws IOException {
        String prefix = "." + cache.tarball(reference).getFileName() + PARTIAL;
        try (DirectoryStream<Path> old = Files.newDirectoryStream(cache.dir(), prefix + "*")) {
            for (Path p : old) Files2.deleteTree(p);
        }
    }
}
