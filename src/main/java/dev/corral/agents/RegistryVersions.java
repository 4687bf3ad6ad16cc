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
            URI uri = uri(profile, InstallPlan.of(profile, Optional.empty(), hostEnv));
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json").GET().build();
            pending.put(profile.name(), client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .thenApply(response -> response.statusCode() == 200 ? version(profile, response.body()) : Optional.<String>empty())
                    .exceptionally(e -> Optional.empty()));
        }
        Map<String, Optional<String>> result = new LinkedHashMap<>();
        pending.forEach((name, future) -> result.put(name, future.join()));
        return result;
    }

    /**
     * The registry's newest version of the profile's package, asked directly; a registry that can't
     * be asked, or answers something that is not a plain version, is an error naming it.
     */
    public static String newest(AgentProfile profile, Map<String, String> hostEnv, SSLContext tls) {
        InstallPlan plan = InstallPlan.of(profile, Optional.empty(), hostEnv);
        URI uri = uri(profile, plan);
        HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
        String where = plan.registry().getHost();
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AgentException("cannot ask " + where + " for the newest " + profile.install().pkg() + ": it answered "
                        + response.statusCode(), "check the registry (npm_config_registry / PIP_INDEX_URL), or pin a version with --agent-version");
            }
            return version(profile, response.body()).orElseThrow(() -> new AgentException(where + " gave no plain version for "
                    + profile.install().pkg(), "pin a version with --agent-version"));
        } catch (java.io.IOException e) {
            String why = why(e, where);
            throw new AgentException("cannot ask " + where + " for the newest " + profile.install().pkg() + ": " + why,
                    "check that " + where + " is reachable (or set npm_config_registry / PIP_INDEX_URL to a mirror), or pin a version with --agent-version", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException("interrupted while asking " + where + " for the newest " + profile.install().pkg(), null, e);
        }
    }

    private static String why(Throwable e, String host) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "the name " + host + " does not resolve";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.http.HttpTimeoutException) return "no answer within " + TIMEOUT.toSeconds() + " s";
            if (t instanceof java.net.ConnectException) return "the connection was refused";
            if (t instanceof javax.net.ssl.SSLException) return "TLS failed (" + t.getMessage() + ")";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static URI uri(AgentProfile profile, InstallPlan plan) {
        return switch (profile.install().registry()) {
            case NPM -> plan.registry().resolve(profile.install().pkg() + "/latest");
            case PYPI -> pypiJson(plan.registry(), profile.install().pkg());
            case HOST -> throw new IllegalArgumentException(profile.name() + " has no registry");
        };
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
