package dev.corral.image;

import dev.corral.agents.AgentCache;
import dev.corral.backend.docker.engine.Engine;
import dev.corral.backend.docker.engine.EngineException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code corral image}: builds Corral's images in the engine without any registry — the base from
 * a root filesystem tarball (built once, kept in the {@link ImageCache}), an agent's image from the
 * base and the agent's install from Corral's agent cache — and lists them.
 */
public final class ImageService {
    private final Supplier<Engine> engine;
    private final RootfsBuilder rootfs;
    private final ImageCache cache;
    private final Agents agents;

    /** Corral's agent cache, as an image build needs it. */
    public interface Agents {
        /** Fails unless the agent is known and installed by Corral (checked before anything is built). */
        void check(String agent);

        /** The agent's install, installed first if need be. */
        AgentCache.Installed ensure(String agent, Optional<String> version, Consumer<String> progress);
    }

    /**
     * @param kind    {@code base} or {@code agent}
     * @param current whether it is what {@code corral image build} would build now: the base of
     *                today's package list, an agent's image on that base
     */
    public record ImageSummary(String reference, String kind, long size, Instant created, boolean current) {
    }

    public ImageService(Supplier<Engine> engine, RootfsBuilder rootfs, ImageCache cache, Agents agents) {
        this.engine = engine;
        this.rootfs = rootfs;
        this.cache = cache;
        this.agents = agents;
    }

    /**
     * Makes sure the engine has Corral's base image; its reference.
     *
     * @param fresh build the root filesystem again from Debian's current packages and import it again
     */
    public String base(boolean fresh, Consumer<String> progress) {
        Engine engine = this.engine.get();
        String reference = CorralImages.base();
        if (!fresh && engine.inspectImage(reference).isPresent()) {
            progress.accept("the engine has " + reference);
            return reference;
        }
        Path tarball = rootfs.ensure(reference, fresh, progress);
        progress.accept("importing " + tarball.getFileName() + " as " + reference + " into " + engine.describe());
        long started = System.nanoTime();
        try {
            engine.importImage(tarball, reference, CorralImages.baseChanges(), line -> progress.accept("engine: " + line));
        } catch (EngineException e) {
            throw new ImageException("importing " + tarball + " failed: " + e.getMessage(),
                    e.fix().orElse("see the engine's log") + "; if the tarball is damaged, build it again: corral image build --refresh", e);
        }
        progress.accept(String.format("imported %s in %.1f s", reference, (System.nanoTime() - started) / 1e9));
        return reference;
    }

    /**
     * Makes sure the engine has the agent's image on today's base, installing the agent into
     * Corral's cache first if need be; its reference.
     *
     * @param version the agent's version; the newest installed (or the registry's newest) when empty
     */
    public String agent(String name, Optional<String> version, boolean fresh, Consumer<String> progress) {
        agents.check(name);
        String base = base(fresh, progress);
        AgentCache.Installed installed = agents.ensure(name, version, progress);
        Engine engine = this.engine.get();
        String baseId = engine.inspectImage(base).map(i -> String.valueOf(i.get("Id")))
                .orElseThrow(() -> new ImageException("the engine lost " + base + " while the agent was installed", "run the build again"));
        String reference = AgentImage.reference(name, installed.version());
        boolean upToDate = engine.inspectImage(reference).map(i -> baseId.equals(labels(i).get(CorralImages.BASE_LABEL))).orElse(false);
        if (!fresh && upToDate) {
            progress.accept("the engine has " + reference);
            return reference;
        }
        long started = System.nanoTime();
        Path context = cache.dir().resolve(".context-" + ImageCache.fileName(reference) + "-" + ProcessHandle.current().pid() + ".tar");
        try {
            Files.createDirectories(cache.dir());
            context.toFile().deleteOnExit(); // interrupted (^C), the JVM still removes it
            progress.accept("packing " + name + " " + installed.version() + " from " + installed.dir());
            AgentImage.writeContext(context, base, baseId, installed);
            progress.accept(String.format("building %s (a %d MB context)", reference, Files.size(context) >> 20));
            engine.build(context, reference, line -> progress.accept("engine: " + line));
        } catch (IOException e) {
            throw new ImageException("cannot pack " + installed.dir() + " for the engine: " + e.getMessage(),
                    "check that " + cache.dir() + " is writable and the disk has room", e);
        } finally {
            try {
                Files.deleteIfExists(context);
            } catch (IOException ignored) {
                // a leftover in the cache folder; harmless
            }
        }
        progress.accept(String.format("built %s in %.1f s", reference, (System.nanoTime() - started) / 1e9));
        return reference;
    }

    /** Corral's images in the engine, base first. */
    public List<ImageSummary> list() {
        Engine engine = this.engine.get();
        String base = CorralImages.base();
        String baseId = engine.inspectImage(base).map(i -> String.valueOf(i.get("Id"))).orElse("");
        List<ImageSummary> images = new ArrayList<>();
        for (Map<String, Object> image : engine.images(CorralImages.KIND_LABEL)) {
            Map<String, String> labels = labels(image);
            String kind = labels.get(CorralImages.KIND_LABEL);
            long size = image.get("Size") instanceof Number n ? n.longValue() : 0;
            Instant created = Instant.ofEpochSecond(image.get("Created") instanceof Number n ? n.longValue() : 0);
            if (!(image.get("RepoTags") instanceof List<?> tags)) continue;
            for (Object tag : tags) {
                String reference = String.valueOf(tag);
                if (reference.startsWith("<none>")) continue;
                boolean current = "base".equals(kind) ? reference.equals(base) : baseId.equals(labels.get(CorralImages.BASE_LABEL));
                images.add(new ImageSummary(reference, kind, size, created, current));
            }
        }
        images.sort((a, b) -> a.kind().equals(b.kind()) ? a.reference().compareTo(b.reference()) : a.kind().equals("base") ? -1 : 1);
        return images;
    }

    private static Map<String, String> labels(Map<String, Object> image) {
        Object labels = image.get("Labels");
        if (image.get("Config") instanceof Map<?, ?> config) labels = config.get("Labels");
        Map<String, String> result = new java.util.HashMap<>();
        if (labels instanceof Map<?, ?> map) map.forEach((k, v) -> result.put(String.valueOf(k), String.valueOf(v)));
        return result;
    }
}
