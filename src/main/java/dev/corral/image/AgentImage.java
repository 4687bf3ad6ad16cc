package dev.corral.image;

import dev.corral.agents.AgentCache;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * An agent's image: Corral's base with the agent's install from the cache at the path its
 * sandboxes see it ({@link AgentCache#sandboxDir}), so the paths npm recorded hold. Built by the
 * engine from a context this class writes: a Dockerfile and the install under {@code agent/}.
 *
 * <p>The install's files become root's in the image while the sandbox runs as the user, so every
 * file is made readable by all and a program executable by all (what {@code chmod a+rX,go-w}
 * does); symbolic and hard links stay links. Anything else (a socket, a device) is refused.
 */
public final class AgentImage {
    public static final String REPOSITORY_PREFIX = "corral/agent-";
    static final String CONTEXT_DIR = "agent";

    private AgentImage() {
    }

    /** {@code corral/agent-claude:2.1.0}; a {@code +} (not allowed in a tag) becomes {@code _}. */
    public static String reference(String agent, String version) {
        return REPOSITORY_PREFIX + agent + ":" + version.replace('+', '_');
    }

    /** The labels that tell Corral's images apart: kind, agent, version, and the base's image id it was built on. */
    public static Map<String, String> labels(String agent, String version, String baseId) {
        return Map.of(CorralImages.KIND_LABEL, "agent", CorralImages.AGENT_LABEL, agent, CorralImages.VERSION_LABEL, version,
                CorralImages.BASE_LABEL, baseId);
    }

    static String dockerfile(String base, String baseId, String agent, String version) {
        StringBuilder labels = new StringBuilder();
        new java.util.TreeMap<>(labels(agent, version, baseId)).forEach((k, v) -> labels.append(" \\\n    ").append(k).append("=").append(quoted(v)));
        // the base by its id: the label then names what the layer was built on, even if the tag moved meanwhile
        return "# " + base + "\n"
                + "FROM " + baseId + "\n"
                + "COPY " + CONTEXT_DIR + "/ " + AgentCache.sandboxDir(agent) + "/\n"
                + "LABEL" + labels + "\n";
    }

    /** Writes the build context of {@code installed} on {@code base} (whose image id is {@code baseId}) to {@code tarball}. */
    public static void writeContext(Path tarball, String base, String baseId, AgentCache.Installed installed) throws IOException {
        try (TarWriter tar = new TarWriter(new BufferedOutputStream(Files.newOutputStream(tarball), 1 << 16))) {
            String dockerfile = dockerfile(base, baseId, installed.agent(), installed.version());
            tar.file("Dockerfile", 0644, dockerfile.getBytes(StandardCharsets.UTF_8));
            addTree(tar, installed.dir(), CONTEXT_DIR);
        }
    }

    /**
     * {@code dir} and everything under it, in name order (the same install gives the same archive), as
     * {@code name}; a file with more than one name is stored once, its other names as hard links.
     */
    static void addTree(TarWriter tar, Path dir, String name) throws IOException {
        addTree(tar, dir, name, new HashMap<>());
    }

    /** @param written the archived names of files with several links, by device and inode */
    private static void addTree(TarWriter tar, Path dir, String name, Map<List<Object>, String> written) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        long mtime = attributes.lastModifiedTime().toMillis() / 1000;
        if (attributes.isSymbolicLink()) {
            tar.symlink(name, Files.readSymbolicLink(dir).toString(), mtime);
        } else if (attributes.isDirectory()) {
            tar.directory(name, 0755, mtime);
            List<Path> children;
            try (Stream<Path> list = Files.list(dir)) {
                children = list.sorted().toList();
            }
            for (Path child : children) addTree(tar, child, name + "/" + child.getFileName(), written);
        } else if (attributes.isRegularFile()) {
            int mode = attributes.permissions().contains(PosixFilePermission.OWNER_EXECUTE) ? 0755 : 0644;
            Map<String, Object> unix = Files.readAttributes(dir, "unix:nlink,dev,ino", LinkOption.NOFOLLOW_LINKS);
            List<Object> inode = List.of(unix.get("dev"), unix.get("ino"));
            if (((Number) unix.get("nlink")).intValue() > 1 && written.containsKey(inode)) {
                tar.hardLink(name, written.get(inode), mode, mtime);
                return;
            }
            try (InputStream in = Files.newInputStream(dir, LinkOption.NOFOLLOW_LINKS)) {
                tar.file(name, mode, mtime, attributes.size(), in);
            }
            if (((Number) unix.get("nlink")).intValue() > 1) written.put(inode, name);
        } else {
            throw new ImageException("cannot put " + dir + " in an image: it is not a file, folder or link",
                    "remove it from the install, or reinstall the agent: corral agents rm NAME, then corral image build NAME");
        }
    }

    private static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
