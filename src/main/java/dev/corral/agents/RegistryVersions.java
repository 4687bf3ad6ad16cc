package dev.corral.agents;

import dev.corral.support.Json;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The newest version each registry offers, asked of all of them at once with a short deadline: an
 * unreachable registry means "unknown", never a hang. Used by {@code corral agents} only.
 */
public final class RegistryVersions {
    private static final Duration TIMEOUT = Duration.ofSeconds(8);

    private RegistryVersions() {
    }

    public static Map<String, Optional<String>> latest(List<AgentProfile> profiles, Map<String, String> hostEnv, SSLContext tls) {
        HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        Map<String, CompletableFuture<Optional<String>>> pending = new LinkedHashMap<>();
        for (AgentProfile profile : profiles) {
            if (profile.install().registry() == AgentProfile.Registry.HOST) continue;
            InstallPlan plan = InstallPlan.of(profile, Optional.empty(), hostEnv);
            URI uri = switch (profile.install().registry()) {
                case NPM -> plan.registry().resolve(profile.install().pkg() + "/latest");
                case PYPI -> pypiJson(plan.registry(), profile.install().pkg());
                case HOST -> throw new IllegalStateException();
            };
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json").GET().build();
            pending.put(profile.name(), client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .thenApply(response -> response.statusCode() == 200 ? version(profile, response.body()) : Optional.<String>empty())
                    .exceptionally(e -> Optional.empty()));
        }
        Map<String, Optional<String>> result = new LinkedHashMap<>();
        pending.forEach((name, future) -> result.put(name, future.join()));
        return result;
    }

    /** PyPI's JSON API beside its simple index: {@code https://pypi.org/pypi/NAME/json}. */
    private static URI pypiJson(URI index, String pkg) {
        return index.resolve("/pypi/" + pkg + "/json");
    }

    @SuppressWarnings("unchecked")
    private static Optional<String> version(AgentProfile profile, String body) {
        try {
            Map<String, Object> json = Json.parseObject(body);
            Object version = profile.install().registry() == AgentProfile.Registry.PYPI
                    ? ((Map<String, Object>) json.get("info")).get("version") : json.get("version");
            return version instanceof String v && AgentVersion.isPlain(v) ? Optional.of(v) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
