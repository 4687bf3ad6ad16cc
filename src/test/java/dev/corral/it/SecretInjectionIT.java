package dev.corral.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Secrets the sandbox never sees: it holds a placeholder, and the proxy puts the real value into
 * requests to the secret's own hosts only — checked at a real HTTPS server that records what it
 * received, and by searching everything the sandbox and Corral wrote for the real value.
 */
class SecretInjectionIT {
    private static final String REAL = "real-secret-value-4f9c2d7e1a";
    static TestNetwork net;
    static TestNetwork.Server web;
    static TestNetwork.Server secure;
    static Path hosts;

    @BeforeAll
    static void network() {
        net = new TestNetwork();
        web = net.httpServer("198.51.100.2", 80);
        secure = net.httpsServer("198.51.100.3", 443, List.of("secure.corral.test", "other.corral.test"));
        hosts = net.hostsFile(Map.of("web.corral.test", "198.51.100.2", "secure.corral.test", "198.51.100.3",
                "other.corral.test", "198.51.100.3"));
    }

    @AfterAll
    static void teardown() {
        if (net != null) net.close();
    }

    private static CorralHarness harness(Invoker invoker, boolean trustTestCa) throws IOException {
        return harness(invoker, SandboxBackend.NATIVE, trustTestCa);
    }

    private static CorralHarness harness(Invoker invoker, SandboxBackend backend, boolean trustTestCa) throws IOException {
        CorralHarness corral = new CorralHarness(invoker, backend).jvmOptions(List.of("-Djdk.net.hosts.file=" + hosts));
        if (trustTestCa) {
            Path config = corral.home().resolve(".config/corral/config.toml");
            Files.createDirectories(config.getParent());
            Files.writeString(config, "[network]\nca-files = [\"" + net.testCa() + "\"]\n", // after what the harness wrote
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            corral.chownTree(corral.home());
        }
        CorralHarness.Result set = corral.corralWithInput(REAL + "\n", "secret", "set-custom", "demo",
                "--host", "secure.corral.test", "--env", "DEMO_TOKEN");
        assertEquals(0, set.exit(), set::toString);
        corral.writeWorkspaceFile("test-ca.pem", Files.readString(net.testCa()));
        return corral;
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void theSecretsHostGetsTheRealValueAndTheSandboxOnlyEverSeesThePlaceholder(Invoker invoker, SandboxBackend backend) throws IOException {
        try (CorralHarness corral = harness(invoker, backend, true)) {
            CorralHarness.Result r = corral.corral("run", "--allow", "secure.corral.test", "--allow", "other.corral.test",
                    "--allow", "web.corral.test", "--", "bash", "-c", """
                    echo "env:$DEMO_TOKEN"
                    curl -sS -H "Authorization: Bearer $DEMO_TOKEN" --data-binary "token=$DEMO_TOKEN" https://secure.corral.test/inject; echo
                    printf 'chunked=%s' "$DEMO_TOKEN" | curl -sS -H 'Transfer-Encoding: chunked' --data-binary @- https://secure.corral.test/chunked; echo
                    curl -sS -H "X-Leak: $DEMO_TOKEN" http://web.corral.test/leak; echo
                    curl -sS --cacert test-ca.pem -H "X-Leak: $DEMO_TOKEN" https://other.corral.test/untouched; echo
                    curl -sS --cacert test-ca.pem https://secure.corral.test/ >/dev/null 2>&1 && echo secret-host-not-intercepted
                    env > env.txt; cat /proc/self/environ > environ.bin
                    echo done
                    """);
            assertEquals(0, r.exit(), r::toString);
            List<String> lines = r.stdout().lines().toList();
            String placeholder = lines.getFirst().substring("env:".length());
            assertFalse(placeholder.isBlank(), r::toString);
            assertNotEquals(REAL, placeholder);
            assertEquals(List.of("hello from 198.51.100.3", "hello from 198.51.100.3", "hello from 198.51.100.2",
                    "hello from 198.51.100.3", "done"), lines.subList(1, lines.size()), r::toString);

            TestNetwork.Request inject = find(secure, "/inject");
            assertEquals("Bearer " + REAL, inject.header("Authorization").orElseThrow());
            assertEquals("token=" + REAL, inject.body());
            assertEquals("token=" + REAL, find(secure, "/inject").body());
            assertEquals("chunked=" + REAL, find(secure, "/chunked").body());
            assertEquals(placeholder, find(web, "/leak").header("X-Leak").orElseThrow(), "another host gets the placeholder");
            assertEquals(placeholder, find(secure, "/untouched").header("X-Leak").orElseThrow(),
                    "a host without the secret, even on the same server, gets the placeholder");

            CorralHarness.Result log = corral.corral("net", "log", "shell-project", "--json");
            assertTrue(log.stdout().contains("\"secrets\":[\"demo\"]"), log::toString);
            assertTrue(log.stdout().lines().anyMatch(l -> l.contains("web.corral.test") && l.contains("placeholder of secret 'demo'")), log::toString);
            assertTrue(r.stderr().contains("placeholder of secret 'demo'"), "the user is told at once: " + r);

            String inspect = corral.corral("inspect", "shell-project").stdout() + corral.corral("secret", "ls", "--json").stdout()
                    + corral.corral("ls", "--json").stdout();
            assertFalse(inspect.contains(REAL), inspect);
            assertFalse(r.stdout().contains(REAL) || r.stderr().contains(REAL) || log.stdout().contains(REAL));
            SecretSearch.assertNoFileHolds(corral.root(), REAL);
        }
    }

    @Test
    void aSecretsHostThatHandsTheRealValueBackIsCutOff() throws IOException {
        try (CorralHarness corral = harness(Invoker.ROOT, true)) {
            CorralHarness.Result r = corral.corral("run", "--allow", "secure.corral.test", "--", "bash", "-c",
                    "curl -sS --compressed --data-binary \"stored: $DEMO_TOKEN\" https://secure.corral.test/reflect > answer.txt 2>/dev/null;"
                            + " echo \"curl exit $?\"; curl -sS https://secure.corral.test/after");
            assertTrue(r.stdout().startsWith("curl exit ") && !r.stdout().startsWith("curl exit 0"), r::toString);
            assertTrue(r.stdout().contains("hello from 198.51.100.3"), "the next request goes on as usual: " + r);
            assertEquals("stored: " + REAL, find(secure, "/reflect").body(), "the host got the value");
            assertEquals("identity", find(secure, "/reflect").header("Accept-Encoding").orElseThrow(), "an uncompressed answer was asked for");
            assertFalse(r.stdout().contains(REAL) || r.stderr().contains(REAL), r::toString);
            SecretSearch.assertNoFileHolds(corral.root(), REAL);
            String log = corral.corral("net", "log", "shell-project", "--json").stdout();
            assertTrue(log.contains("the answer carried the real value of secret 'demo'"), log);
        }
    }

    @Test
    void aRequestInTheSecretsTunnelForAnotherSiteOnTheSameServerGetsNothing() throws IOException {
        try (CorralHarness corral = harness(Invoker.ROOT, true)) {
            int before = secure.requests().size();
            CorralHarness.Result r = corral.corral("run", "--allow", "secure.corral.test", "--", "bash", "-c",
                    "curl -sS -H 'Host: other.corral.test' -H \"Authorization: Bearer $DEMO_TOKEN\" https://secure.corral.test/fronted"
                            + " >/dev/null 2>&1; echo \"exit $?\"");
            assertFalse(r.stdout().strip().equals("exit 0"), r::toString);
            assertEquals(before, secure.requests().size(), "nothing reached the server");
            String log = corral.corral("net", "log", "shell-project", "--json").stdout();
            assertTrue(log.contains("names another host (other.corral.test)"), log);
        }
    }

    @Test
    void anUpstreamTheSystemDoesNotTrustIsRefusedAndSaysSo() throws IOException {
        try (CorralHarness corral = harness(Invoker.ROOT, false)) {
            int before = secure.requests().size();
            CorralHarness.Result r = corral.corral("run", "--allow", "secure.corral.test", "--", "bash", "-c",
                    "curl -sS -m 10 -H \"Authorization: Bearer $DEMO_TOKEN\" https://secure.corral.test/ || echo refused");
            assertTrue(r.stdout().strip().endsWith("refused"), r::toString);
            assertEquals(before, secure.requests().size(), "nothing reached an unverified upstream");
            String log = corral.corral("net", "log", "shell-project", "--json").stdout();
            assertTrue(log.contains("upstream TLS failed"), log);
        }
    }

    @Test
    void execGetsTheSamePlaceholdersAndProxy() throws Exception {
        try (CorralHarness corral = harness(Invoker.ROOT, true)) {
            CorralHarness.Background bg = corral.corralInBackground("run", "--name", "box", "--allow", "secure.corral.test",
                    "--", "bash", "-c", "echo $DEMO_TOKEN > token.txt; sleep 20");
            Path token = corral.workspace().resolve("token.txt");
            for (int i = 0; i < 200 && !Files.exists(token); i++) Thread.sleep(50);
            CorralHarness.Result r = corral.corral("exec", "box", "--", "bash", "-c",
                    "echo $DEMO_TOKEN; curl -sS -H \"Authorization: Bearer $DEMO_TOKEN\" https://secure.corral.test/exec");
            assertEquals(List.of(Files.readString(token).strip(), "hello from 198.51.100.3"), r.stdout().lines().toList(), r::toString);
            assertEquals("Bearer " + REAL, find(secure, "/exec").header("Authorization").orElseThrow());
            corral.corral("stop", "box");
            bg.await(java.time.Duration.ofSeconds(30));
        }
    }

    private static TestNetwork.Request find(TestNetwork.Server server, String path) {
        return server.requests().stream().filter(q -> q.path().equals(path)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no request for " + path + " at " + server));
    }

}
