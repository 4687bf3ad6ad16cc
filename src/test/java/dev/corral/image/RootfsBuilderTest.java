package dev.corral.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cached tarball is reused; a new one appears only whole, by a rename, and a failed build leaves nothing. */
class RootfsBuilderTest {
    private static final String IMAGE = "corral/base:bookworm-1a2b";
    private static final RootfsRecipe RECIPE = new RootfsRecipe("bookworm", List.of("git"), Optional.empty());
    private static final BuildHost ROOT = new BuildHost(true, "root", Optional.of(Path.of("/usr/bin/mmdebstrap")), Optional.empty(), true,
            List.of(), List.of());

    @TempDir
    Path dir;

    private final List<List<String>> runs = new ArrayList<>();
    private final List<String> progress = new ArrayList<>();

    /** A builder that writes {@code content} where the command line says, then ends with {@code status}. */
    private RootfsBuilder builder(String content, int status) {
        return new RootfsBuilder(new ImageCache(dir), RECIPE, ROOT, (argv, output) -> {
            runs.add(argv);
            output.accept("I: done");
            Files.writeString(Path.of(argv.get(argv.indexOf("--") + 2)), content);
            return status;
        });
    }

    @Test
    void cachedTarballIsUsedWithoutRunningTheBuilder() throws IOException {
        Path cached = Files.writeString(new ImageCache(dir).tarball(IMAGE), "rootfs");

        assertEquals(cached, builder("new", 0).ensure(IMAGE, false, progress::add));
        assertEquals(List.of(), runs);
        assertEquals("rootfs", Files.readString(cached));
    }

    @Test
    void newTarballAppearsUnderItsNameOnlyOnceBuilt() throws IOException {
        Path tarball = builder("rootfs", 0).ensure(IMAGE, false, progress::add);

        assertEquals(new ImageCache(dir).tarball(IMAGE), tarball);
        assertEquals("rootfs", Files.readString(tarball));
        String target = runs.getFirst().get(runs.getFirst().indexOf("--") + 2);
        assertFalse(target.equals(tarball.toString()), "the builder writes a temporary file, not the tarball");
        assertEquals(tarball.getParent(), Path.of(target).getParent());
        assertEquals(List.of(tarball.getFileName().toString()), visibleFiles());
        assertTrue(progress.contains("mmdebstrap: I: done"), progress.toString());
    }

    @Test
    void failedBuildLeavesNoTarball() throws IOException {
        ImageException e = assertThrows(ImageException.class, () -> builder("half", 1).ensure(IMAGE, false, progress::add));

        assertTrue(e.getMessage().contains("mmdebstrap exited with status 1"), e.getMessage());
        assertEquals(List.of(), visibleFiles());
        assertEquals(List.of(), partials());
    }

    @Test
    void emptyResultIsAFailure() {
        assertThrows(ImageException.class, () -> builder("", 0).ensure(IMAGE, false, progress::add));
        assertFalse(Files.exists(new ImageCache(dir).tarball(IMAGE)));
    }

    @Test
    void freshBuildReplacesTheCachedTarball() throws IOException {
        Files.writeString(new ImageCache(dir).tarball(IMAGE), "old");

        Path tarball = builder("new", 0).ensure(IMAGE, true, progress::add);

        assertEquals(1, runs.size());
        assertEquals("new", Files.readString(tarball));
    }

    @Test
    void whatAKilledBuildLeftIsRemoved() throws IOException {
        Path leftover = Files.writeString(dir.resolve("." + new ImageCache(dir).tarball(IMAGE).getFileName() + ".partial-dead"), "x");

        builder("rootfs", 0).ensure(IMAGE, false, progress::add);

        assertFalse(Files.exists(leftover));
        assertEquals(List.of(), partials());
    }

    private List<String> visibleFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    private List<String> partials() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.contains(".partial-")).toList();
        }
    }
}
