package dev.corral.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The variables that send a sandbox's programs through its proxy — the common ones and the
 * equivalents of tools that ignore them — and make them trust Corral's CA where secrets need it,
 * the system's bundle otherwise.
 * {@code NO_PROXY} covers only the sandbox's own loopback.
 */
public final class NetworkEnvironment {
    private NetworkEnvironment() {
    }

    /**
     * @param trustDir  where the sandbox sees the CA files ({@code corral-ca.pem}, {@code ca-bundle.pem},
     *                  {@code truststore.p12}); empty when no TLS is terminated
     * @param placeholders the secrets' variables and their placeholders
     */
    public static Map<String, String> of(int port, java.util.Optional<String> trustDir, Map<String, String> placeholders) {
        return of(port, trustDir, java.util.Optional.empty(), placeholders);
    }

    /** @param systemBundle the system's CA bundle, trusted by every tool when no TLS is terminated */
    public static Map<String, String> of(int port, java.util.Optional<String> trustDir, java.util.Optional<String> systemBundle,
                                         Map<String, String> placeholders) {
        Map<String, String> env = new LinkedHashMap<>();
        String http = "http://127.0.0.1:" + port;
        String socks = "socks5h://127.0.0.1:" + port;
        String noProxy = "localhost,127.0.0.1,::1";
        for (String name : List.of("HTTP_PROXY", "HTTPS_PROXY")) {
            env.put(name, http);
            env.put(name.toLowerCase(java.util.Locale.ROOT), http);
        }
        env.put("ALL_PROXY", socks);
        env.put("all_proxy", socks);
        env.put("NO_PROXY", noProxy);
        env.put("no_proxy", noProxy);
        env.put("npm_config_proxy", http);
        env.put("npm_config_https_proxy", http);
        env.put("YARN_HTTP_PROXY", http);
        env.put("YARN_HTTPS_PROXY", http);
        env.put("PIP_PROXY", http);
        env.put("CARGO_HTTP_PROXY", http);
        env.put("NODE_USE_ENV_PROXY", "1");
        env.put("GLOBAL_AGENT_HTTP_PROXY", http);
        StringBuilder java = new StringBuilder("-Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=" + port
                + " -Dhttps.proxyHost=127.0.0.1 -Dhttps.proxyPort=" + port + " -Dhttp.nonProxyHosts=localhost|127.0.0.1|[::1]");
        if (trustDir.isPresent()) {
            String dir = trustDir.get();
            trust(env, dir + "/ca-bundle.pem");
            java.append(" -Djavax.net.ssl.trustStore=").append(dir).append("/truststore.p12")
                    .append(" -Djavax.net.ssl.trustStoreType=PKCS12 -Djavax.net.ssl.trustStorePassword=changeit");
        } else {
            // the host's own bundle, which may hold a corporate proxy's CA that tools' built-in lists lack
            if (systemBundle.isPresent()) trust(env, systemBundle.get());
        }
        env.put("JAVA_TOOL_OPTIONS", java.toString());
        env.putAll(placeholders);
        return env;
    }

    /** Points every tool that keeps its own list of roots at one bundle (Node adds it to its own). */
    private static void trust(Map<String, String> env, String bundle) {
        for (String name : List.of("SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "GIT_SSL_CAINFO",
                "PIP_CERT", "npm_config_cafile", "CARGO_HTTP_CAINFO", "DENO_CERT")) {
            env.put(name, bundle);
        }
    }
}
