package dev.corral.backend.docker.engine;

import dev.corral.support.Json;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A small typed client of the Docker Engine API (which Podman's compatible socket speaks too):
 * only the calls Corral makes. The API version is negotiated once: the newest both sides know,
 * never below {@link #MIN_API} (Docker 20.10, Podman 4).
 */
public final class Engine {
    static final ApiVersion MIN_API = new ApiVersion(1, 41);
    static final ApiVersion MAX_API = new ApiVersion(1, 47);
    private static final String JSON = "application/json";
    private final EngineAddress address;
    private final ApiVersion api;
    private final String prefix;
    private final Map<String, Object> version;

    private Engine(EngineAddress address, ApiVersion api, Map<String, Object> version) {
        this.address = address;
        this.api = api;
        this.prefix = "/v" + api;
        this.version = version;
    }

    /** Connects to the engine and agrees on the API version; a clear error when it can't. */
    public static Engine connect(EngineAddress address) {
        Map<String, Object> version = asObject(exchange(address, "GET", "/version", null), address);
        ApiVersion api = negotiate(String.valueOf(version.get("ApiVersion")), String.valueOf(version.getOrDefault("MinAPIVersion", "1.12")),
                address);
        return new Engine(address, api, version);
    }

    /** The API version to speak with an engine that knows {@code min} to {@code max}. */
    static ApiVersion negotiate(String max, String min, EngineAddress address) {
        ApiVersion engineMax = ApiVersion.parse(max);
        if (engineMax.compareTo(MIN_API) < 0) {
            throw new EngineException("the engine at " + address + " speaks Docker API " + engineMax + ", Corral needs " + MIN_API + " or newer",
                    "upgrade it (Docker 20.10 or newer, Podman 4 or newer), or use --backend native");
        }
        ApiVersion chosen = engineMax.compareTo(MAX_API) > 0 ? MAX_API : engineMax;
        ApiVersion engineMin = ApiVersion.parse(min);
        return chosen.compareTo(engineMin) < 0 ? engineMin : chosen;
    }

    /** Whether the agreed API version is {@code major.minor} or newer. */
    public boolean speaks(int major, int minor) {
        return api.compareTo(new ApiVersion(major, minor)) >= 0;
    }

    public EngineAddress address() {
        return address;
    }

    /** The engine's own name for itself: "Docker Engine 20.10.24" or Podman's. */
    public String describe() {
        Object components = version.get("Components");
        String name = "Docker Engine";
        if (components instanceof List<?> list && !list.isEmpty() && list.getFirst() instanceof Map<?, ?> first) {
            name = String.valueOf(first.get("Name"));
            if (name.equals("Engine")) name = "Docker Engine"; // Docker's own name for it; Podman's is "Podman Engine"
        }
        return name + " " + version.get("Version") + " (API " + prefix.substring(2) + ")";
    }

    /** The host's runtime names the engine knows ({@code runc}, {@code runsc}...). */
    public List<String> runtimes() {
        Map<String, Object> info = asObject(call("GET", "/info", null), address);
        if (info.get("Runtimes") instanceof Map<?, ?> runtimes) return runtimes.keySet().stream().map(String::valueOf).toList();
        return List.of();
    }

    // ---- containers

    public String createContainer(String name, Map<String, Object> config) {
        Map<String, Object> created = asObject(call("POST", "/containers/create?name=" + encode(name), config), address);
        return String.valueOf(created.get("Id"));
    }

    public Optional<Map<String, Object>> inspectContainer(String nameOrId) {
        return optional(() -> asObject(call("GET", "/containers/" + encode(nameOrId) + "/json", null), address));
    }

    /** Containers with all of these labels, running or not. */
    public List<Map<String, Object>> containers(Map<String, String> labels) {
        return listOf(call("GET", "/containers/json?all=1&filters=" + labelFilter(labels), null));
    }

    public void startContainer(String id) {
        call("POST", "/containers/" + encode(id) + "/start", null);
    }

    /** Waits until the container stops; its exit status. */
    public int waitContainer(String id) {
        Map<String, Object> result = asObject(call("POST", "/containers/" + encode(id) + "/wait", null), address);
        if (result.get("Error") instanceof Map<?, ?> error && error.get("Message") instanceof String message && !message.isEmpty()) {
            throw new EngineException("waiting for container " + id + " failed: " + message, "see the engine's log");
        }
        return ((Number) result.get("StatusCode")).intValue();
    }

    public void killContainer(String id, String signal) {
        try {
            call("POST", "/containers/" + encode(id) + "/kill?signal=" + encode(signal), null);
        } catch (EngineException e) {
            if (e.status() != 409 && !e.isNotFound()) throw e; // not running, or gone: what we wanted
        }
    }

    /** Removes the container, running or not; gone already is fine. */
    public void removeContainer(String id) {
        try {
            call("DELETE", "/containers/" + encode(id) + "?force=1&v=0", null);
        } catch (EngineException e) {
            if (!e.isNotFound() && e.status() != 409) throw e; // 409: its removal is already under way
        }
    }

    public void resizeContainer(String id, int rows, int cols) {
        call("POST", "/containers/" + encode(id) + "/resize?h=" + rows + "&w=" + cols, null);
    }

    /** Attaches to the container's standard streams before it starts, so no output is missed. */
    public EngineStream attach(String id, boolean stdin) {
        return upgrade("/containers/" + encode(id) + "/attach?stream=1&stdout=1&stderr=1" + (stdin ? "&stdin=1" : ""), null);
    }

    // ---- exec

    public String createExec(String container, Map<String, Object> config) {
        Map<String, Object> created = asObject(call("POST", "/containers/" + encode(container) + "/exec", config), address);
        return String.valueOf(created.get("Id"));
    }

    public EngineStream startExec(String exec, boolean tty) {
        return upgrade("/exec/" + encode(exec) + "/start", Map.of("Detach", false, "Tty", tty));
    }

    /** The exec's exit status, once its process ended. */
    public Optional<Integer> execExitCode(String exec) {
        Map<String, Object> state = asObject(call("GET", "/exec/" + encode(exec) + "/json", null), address);
        if (Boolean.TRUE.equals(state.get("Running")) || !(state.get("ExitCode") instanceof Number code)) return Optional.empty();
        return Optional.of(code.intValue());
    }

    public void resizeExec(String exec, int rows, int cols) {
        call("POST", "/exec/" + encode(exec) + "/resize?h=" + rows + "&w=" + cols, null);
    }

    // ---- volumes

    public void createVolume(String name, Map<String, String> labels) {
        call("POST", "/volumes/create", Map.of("Name", name, "Labels", labels));
    }

    public Optional<Map<String, Object>> inspectVolume(String name) {
        return optional(() -> asObject(call("GET", "/volumes/" + encode(name), null), address));
    }

    public List<String> volumes(Map<String, String> labels) {
        Map<String, Object> answer = asObject(call("GET", "/volumes?filters=" + labelFilter(labels), null), address);
        List<String> names = new ArrayList<>();
        if (answer.get("Volumes") instanceof List<?> list) {
            for (Object v : list) if (v instanceof Map<?, ?> volume) names.add(String.valueOf(volume.get("Name")));
        }
        return names;
    }

    public void removeVolume(String name) {
        try {
            call("DELETE", "/volumes/" + encode(name), null);
        } catch (EngineException e) {
            if (!e.isNotFound()) throw e;
        }
    }

    // ---- images

    public Optional<Map<String, Object>> inspectImage(String reference) {
        return optional(() -> asObject(call("GET", "/images/" + encode(reference) + "/json", null), address));
    }

    /** The images that carry this label, whatever its value (summaries: Id, RepoTags, Labels, Size, Created). */
    public List<Map<String, Object>> images(String label) {
        return listOf(call("GET", "/images/json?filters=" + encode(Json.write(Map.of("label", List.of(label)))), null));
    }

    /**
     * Imports a root filesystem tarball as image {@code reference}, with Dockerfile-style
     * {@code changes} (ENV, LABEL, CMD...); progress lines go to {@code progress}.
     */
    public void importImage(Path tarball, String reference, List<String> changes, Consumer<String> progress) {
        int colon = reference.lastIndexOf(':');
        boolean tagged = colon > reference.lastIndexOf('/'); // not the colon of a registry's port
        StringBuilder target = new StringBuilder("/images/create?fromSrc=-&repo=").append(encode(tagged ? reference.substring(0, colon) : reference))
                .append("&tag=").append(encode(tagged ? reference.substring(colon + 1) : "latest"));
        changes.forEach(change -> target.append("&changes=").append(encode(change)));
        upload(target.toString(), "application/x-tar", tarball, progress);
    }

    /** Builds an image from a tarred context holding its Dockerfile, with no network during the build. */
    public void build(Path context, String reference, Consumer<String> progress) {
        upload("/build?t=" + encode(reference) + "&networkmode=none&rm=1&forcerm=1&q=0", "application/x-tar", context, progress);
    }

    private void upload(String target, String contentType, Path file, Consumer<String> progress) {
        try (EngineConnection connection = EngineConnection.open(address);
             InputStream body = Files.newInputStream(file)) {
            HttpResponse response = connection.send("POST", prefix + target, contentType, body, Files.size(file), false);
            if (!response.ok()) throw failure(response, target);
            BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isBlank()) continue;
                Map<String, Object> message = Json.parseObject(line);
                if (message.get("error") != null) {
                    throw new EngineException("the engine failed: " + String.valueOf(message.get("error")).strip(), "see the lines above");
                }
                Object text = message.get("stream") != null ? message.get("stream") : message.get("status");
                if (text != null && !String.valueOf(text).isBlank()) progress.accept(String.valueOf(text).stripTrailing());
            }
        } catch (IOException e) {
            throw new EngineException("the engine's answer to " + target + " broke off: " + e.getMessage(), "check the engine's log", 0, e);
        }
    }

    // ---- plumbing

    private EngineStream upgrade(String target, Map<String, Object> body) {
        EngineConnection connection = EngineConnection.open(address);
        try {
            byte[] bytes = body == null ? new byte[0] : Json.write(body).getBytes(StandardCharsets.UTF_8);
            HttpResponse response = connection.send("POST", prefix + target, JSON, new ByteArrayInputStream(bytes), bytes.length, true);
            if (!response.ok() && response.status() != 101) throw failure(response, target);
            return new EngineStream(connection, response.body());
        } catch (IOException e) {
            connection.close();
            throw new EngineException("the engine's answer to " + target + " broke off: " + e.getMessage(), "check the engine's log", 0, e);
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private Object call(String method, String target, Object body) {
        return exchange(address, method, prefix + target, body);
    }

    private static Object exchange(EngineAddress address, String method, String target, Object body) {
        try (EngineConnection connection = EngineConnection.open(address)) {
            byte[] bytes = body == null ? null : Json.write(body).getBytes(StandardCharsets.UTF_8);
            HttpResponse response = connection.send(method, target, JSON,
                    bytes == null ? null : new ByteArrayInputStream(bytes), bytes == null ? -1 : bytes.length, false);
            if (!response.ok()) throw failure(response, target);
            String text = response.text();
            return text.isBlank() ? null : Json.parse(text);
        } catch (IOException e) {
            throw new EngineException("the engine's answer to " + method + " " + target + " broke off: " + e.getMessage(),
                    "check the engine's log", 0, e);
        }
    }

    private static EngineException failure(HttpResponse response, String target) {
        String message;
        try {
            String text = response.text();
            Object parsed = text.isBlank() ? null : Json.parse(text);
            message = parsed instanceof Map<?, ?> map && map.get("message") != null ? String.valueOf(map.get("message")) : text.strip();
        } catch (IOException | RuntimeException e) {
            message = "HTTP " + response.status();
        }
        String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        return new EngineException("the engine refused " + path + ": " + message, "see the engine's message", response.status(), null);
    }

    private static <T> Optional<T> optional(java.util.function.Supplier<T> call) {
        try {
            return Optional.of(call.get());
        } catch (EngineException e) {
            if (e.isNotFound()) return Optional.empty();
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asObject(Object value, EngineAddress address) {
        if (value instanceof Map<?, ?> map) return (Map<String, Object>) map;
        throw new EngineException("the engine at " + address + " gave an answer Corral does not understand", "check that it is a Docker-compatible engine");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> listOf(Object value) {
        List<Map<String, Object>> list = new ArrayList<>();
        if (value instanceof List<?> items) for (Object item : items) if (item instanceof Map<?, ?> map) list.add((Map<String, Object>) map);
        return list;
    }

    private static String labelFilter(Map<String, String> labels) {
        List<String> pairs = labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        return encode(Json.write(Map.of("label", pairs)));
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
