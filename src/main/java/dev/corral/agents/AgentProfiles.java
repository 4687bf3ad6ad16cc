package dev.corral.agents;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The agents Corral knows: its own profiles (resources beside this class) and the user's, one
 * {@code NAME.toml} each in {@code ~/.config/corral/agents/}; a user's profile of the same name
 * replaces Corral's. {@code shell} is not a profile: it is the sandbox's own shell.
 */
public final class AgentProfiles {
    public static final String SHELL = "shell";
    public static final List<String> BUILT_IN = List.of("claude", "codex", "gemini", "opencode", "copilot", "kiro", "aider");
    private final Path userDir;

    /** @param userDir the user's profile folder, {@code ~/.config/corral/agents} */
    public AgentProfiles(Path userDir) {
        this.userDir = userDir;
    }

    public static Path userDir(Path configDir) {
        return configDir.resolve("agents");
    }

    /** The profile of this name; an unknown name, or a profile that doesn't load, is an error. */
    public AgentProfile get(String name) {
        if (name.equals(SHELL)) throw new IllegalArgumentException("shell has no profile");
        if (ProfileParser.NAME.matcher(name).matches()) {
            Optional<AgentProfile> user = user(name);
            if (user.isPresent()) return user.get();
            if (BUILT_IN.contains(name)) return builtIn(name);
        }
        throw new AgentException("unknown agent '" + name + "'", "use one of " + String.join(", ", names())
                + ", add a profile as " + userDir.resolve(name + ".toml") + ", or give a command after --: corral run -- CMD");
    }

    /** Every profile, Corral's and the user's, by name; each is loaded, so a broken one is reported. */
    public Map<String, AgentProfile> all() {
        Map<String, AgentProfile> all = new TreeMap<>();
        for (String name : BUILT_IN) all.put(name, builtIn(name));
        for (String name : userNames()) all.put(name, user(name).orElseThrow());
        return all;
    }

    /** The names a user can run: {@code shell}, Corral's agents and the user's. */
    public List<String> names() {
        List<String> names = new ArrayList<>(BUILT_IN);
        for (String name : userNames()) if (!names.contains(name)) names.add(name);
        names.add(SHELL);
        return names;
    }

    private static AgentProfile builtIn(String name) {
        String resource = name + ".toml";
        try (InputStream in = AgentProfiles.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("the profile " + resource + " is missing from Corral's jar");
            return ProfileParser.parse(name, "corral:agents/" + resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read Corral's profile " + resource, e);
        }
    }

    private Optional<AgentProfile> user(String name) {
        Path file = userDir.resolve(name + ".toml");
        try {
            return Optional.of(ProfileParser.parse(name, file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new AgentException("cannot read agent profile " + file + ": " + e.getMessage(), "check its permissions");
        }
    }

    private List<String> userNames() {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(userDir, "*.toml")) {
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                String name = fileName.substring(0, fileName.length() - ".toml".length());
                // NAME.toml with a plain name; anything else in the folder is not a profile
                if (ProfileParser.NAME.matcher(name).matches() && !name.equals(SHELL)) names.add(name);
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new AgentException("cannot list agent profiles in " + userDir + ": " + e.getMessage(), "check its permissions");
        }
        names.sort(null);
        return names;
    }
}
