package dev.corral.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The proxy and trust variables a sandbox's programs get. */
class NetworkEnvironmentTest {
    private static final String BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
    private static final String TRUST_DIR = "/run/corral-net/trust";
    /** Every variable that names the bundle of roots a tool trusts. */
    private static final List<String> TRUST = List.of("SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE",
            "GIT_SSL_CAINFO", "PIP_CERT", "npm_config_cafile", "CARGO_HTTP_CAINFO", "DENO_CERT");

    private static Map<String, String> env(Optional<String> trustDir, Optional<String> systemBundle) {
        return NetworkEnvironment.of(3128, trustDir, systemBundle, Map.of());
    }

    @Test
    void withoutATrustDirEveryToolTrustsTheSystemsBundle() {
        Map<String, String> env = env(Optional.empty(), Optional.of(BUNDLE));

        for (String name : TRUST) assertEquals(BUNDLE, env.get(name), name);
        assertFalse(env.get("JAVA_TOOL_OPTIONS").contains("trustStore"), "Java keeps its own store");
    }

    @Test
    void withATrustDirEveryToolTrustsItsBundleAndNotTheSystems() {
        Map<String, String> env = env(Optional.of(TRUST_DIR), Optional.of(BUNDLE));

        for (String name : TRUST) assertEquals(TRUST_DIR + "/ca-bundle.pem", env.get(name), name);
        assertTrue(env.get("JAVA_TOOL_OPTIONS").contains(" -Djavax.net.ssl.trustStore=" + TRUST_DIR + "/truststore.p12"
                + " -Djavax.net.ssl.trustStoreType=PKCS12 -Djavax.net.ssl.trustStorePassword=changeit"), env.get("JAVA_TOOL_OPTIONS"));
    }

    @Test
    void aTrustDirWithoutASystemBundleIsTheSame() {
        assertEquals(env(Optional.of(TRUST_DIR), Optional.of(BUNDLE)), env(Optional.of(TRUST_DIR), Optional.empty()));
    }

    @Test
    void withNeitherNoTrustVariableIsSet() {
        Map<String, String> env = env(Optional.empty(), Optional.empty());

        for (String name : TRUST) assertFalse(env.containsKey(name), name);
        assertEquals(env, NetworkEnvironment.of(3128, Optional.empty(), Map.of()), "the short form has no system bundle");
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "npm_config_proxy", "npm_config_https_proxy",
            "YARN_HTTP_PROXY", "YARN_HTTPS_PROXY", "PIP_PROXY", "CARGO_HTTP_PROXY", "GLOBAL_AGENT_HTTP_PROXY"})
    void everyToolIsSentThroughTheProxysPort(String name) {
        assertEquals("http://127.0.0.1:8080", NetworkEnvironment.of(8080, Optional.empty(), Optional.of(BUNDLE), Map.of()).get(name));
    }

    @Test
    void socksAndTheLoopbackExceptionsAndJavaAreSetToo() {
        Map<String, String> env = env(Optional.empty(), Optional.of(BUNDLE));

        assertEquals("socks5h://127.0.0.1:3128", env.get("ALL_PROXY"));
        assertEquals("socks5h://127.0.0.1:3128", env.get("all_proxy"));
        assertEquals("localhost,127.0.0.1,::1", env.get("NO_PROXY"));
        assertEquals("localhost,127.0.0.1,::1", env.get("no_proxy"));
        assertEquals("1", env.get("NODE_USE_ENV_PROXY"));
        assertTrue(env.get("JAVA_TOOL_OPTIONS").startsWith("-Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=3128 -Dhttps.proxyHost=127.0.0.1"
                + " -Dhttps.proxyPort=3128"), env.get("JAVA_TOOL_OPTIONS"));
    }

    @Test
    void theSecretsPlaceholdersAreAdded() {
        Map<String, String> env = NetworkEnvironment.of(3128, Optional.of(TRUST_DIR), Optional.of(BUNDLE),
                Map.of("ANTHROPIC_API_KEY", "corral-placeholder-1"));

        assertEquals("corral-placeholder-1", env.get("ANTHROPIC_API_KEY"));
    }
}
