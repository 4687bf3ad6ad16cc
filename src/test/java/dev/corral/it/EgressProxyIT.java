package dev.corral.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The way out of a sandbox, tested from inside real sandboxes against real servers: test hosts in
 * a network namespace the test creates (at documentation addresses, which the proxy treats as
 * public) and, for the addresses that must be refused, a server on the host's loopback.
 */
class EgressProxyIT {
    static TestNetwork net;
    static TestNetwork.Server web;
    static TestNetwork.Server web8080;
    static TestNetwork.Server secure;
    static TestNetwork.Server echo;
    static LoopbackServer loopback;
    static Path hosts;

    @BeforeAll
    static void network() throws IOException {
        net = new TestNetwork();
        web = net.httpServer("198.51.100.2", 80);
        web8080 = net.httpServer("198.51.100.2", 8080);
        secure = net.httpsServer("198.51.100.3", 443, List.of("secure.corral.test", "other.corral.test"));
        echo = net.tcpEcho("198.51.100.4", 7000);
        loopback = LoopbackServer.start();
        hosts = net.hostsFile(Map.of("web.corral.test", "198.51.100.2", "corral.test", "198.51.100.2",
                "secure.corral.test", "198.51.100.3", "other.corral.test", "198.51.100.3", "echo.corral.test", "198.51.100.4",
                "internal.corral.test", "127.0.0.1", "private.corral.test", "10.11.12.13"));
    }

    @AfterAll
    static void teardown() {
        if (loopback != null) loopback.close();
        if (net != null) net.close();
    }

    static CorralHarness harness(Invoker invoker, SandboxBackend backend) {
        return new CorralHarness(invoker, backend).jvmOptions(List.of("-Djdk.net.hosts.file=" + hosts));
    }

    static CorralHarness.Result run(CorralHarness corral, List<String> options, String script) {
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(options);
        args.addAll(List.of("--", "bash", "-c", script));
        return corral.corral(args.toArray(String[]::new));
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void theBalancedPresetRefusesAnUnlistedHostAndSaysWhy(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = harness(invoker, backend)) {
            int before = web.requests().size();
            CorralHarness.Result r = run(corral, List.of(), "curl -sS -o /dev/null -w '%{http_code}' http://web.corral.test/");
            assertEquals("403", r.stdout().strip(), r::toString);
            assertTrue(r.stderr().contains("denied web.corral.test:80") && r.stderr().contains("corral policy allow web.corral.test"), r::toString);
            assertEquals(before, web.requests().size(), "nothing reached the server");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void anAllowedHostIsReachedByPlainHttpConnectAndSocks(Invoker invoker, SandboxBackend backend) throws IOException {
        try (CorralHarness corral = harness(invoker, backend)) {
            corral.writeWorkspaceFile("test-ca.pem", Files.readString(net.testCa()));
            CorralHarness.Result r = run(corral, List.of("--allow", "web.corral.test", "--allow", "secure.corral.test",
                            "--allow", "echo.corral.test:7000"), """
                    curl -sS http://web.corral.test/plain; echo
                    curl -sS --cacert test-ca.pem https://secure.corral.test/connect; echo
                    curl -sS --proxy "$ALL_PROXY" http://web.corral.test/socks; echo
                    echo ping-through-connect | socat -t 2 - PROXY:127.0.0.1:echo.corral.test:7000,proxyport=3128
                    """);
            assertEquals(List.of("hello from 198.51.100.2", "hello from 198.51.100.3", "hello from 198.51.100.2",
                    "ping-through-connect"), r.stdout().lines().toList(), r::toString);
            assertTrue(web.requests().stream().anyMatch(q -> q.path().equals("/plain")));
            assertTrue(web.requests().stream().anyMatch(q -> q.path().equals("/socks")));
            assertTrue(secure.requests().stream().anyMatch(q -> q.path().equals("/connect") && "secure.corral.test".equals(q.sni())));
        }
    }

    @Test
    void aWildcardMatchesSubdomainsButNotTheDomainItself() {
        try (CorralHarness corral = harness(Invoker.ROOT, SandboxBackend.NATIVE)) {
            CorralHarness.Result r = run(corral, List.of("--allow", "*.corral.test"), """
                    curl -sS -o /dev/null -w '%{http_code} ' http://web.corral.test/
                    curl -sS -o /dev/null -w '%{http_code}' http://corral.test/
                    """);
            assertEquals("200 403", r.stdout().strip(), r::toString);
        }
    }

    @Test
    void denyAlwaysWinsOverAnAllow() {
        try (CorralHarness corral = harness(Invoker.ROOT, SandboxBackend.NATIVE)) {
            CorralHarness.Result r = run(corral, List.of("--allow", "*.corral.test", "--allow", "web.corral.test:80",
                    "--deny", "web.corral.test"), """
                    curl -sS -o /dev/null -w '%{http_code} ' http://web.corral.test/
                    curl -sS -o /dev/null -w '%{http_code}' --proxy "$ALL_PROXY" http://echo.corral.test:7000/ || true
                    """);
            assertTrue(r.stdout().startsWith("403 "), r::toString);
            assertTrue(r.stderr().contains("deny web.corral.test (run)"), r::toString);
        }
    }

    @Test
    void aHostAndPortRuleAllowsThatPortOnly() {
        try (CorralHarness corral = harness(Invoker.ROOT, SandboxBackend.NATIVE)) {
            CorralHarness.Result r = run(corral, List.of("--allow", "web.corral.test:8080"), """
                    curl -sS -o /dev/null -w '%{http_code} ' http://web.corral.test:8080/
                    curl -sS -o /dev/null -w '%{http_code}' http://web.corral.test/
                    """);
            assertEquals("200 403", r.stdout().strip(), r::toString);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "*.com", "*.corral.*", "web.*.test", "exa mple.com", "host:99999"})
    void overBroadOrMalformedPatternsAreRejected(String pattern) {
        try (CorralHarness corral = harness(Invoker.ROOT, SandboxBackend.NATIVE)) {
            CorralHarness.Result r = corral.corral("run", "--allow", pattern, "--", "true");
            assertEquals(125, r.exit(), r::toString);
            assertTrue(r.stderr().startsWith("corral: ") && r.stderr().lines().count() == 1, r::toString);
            assertTrue(r.stderr().contains(pattern.strip()), r::toString);
        }
    }

    /** Every spelling of a refused address, sent raw to the proxy so no client normalises it first. */
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "2130706433", "0x7f000001", "0x7f.1", "0177.0.0.1", "127.1", "127.0.0.1.",
            "[::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[0:0:0:0:0:ffff:127.0.0.1]", "localhost", "internal.corral.test",
            "169.254.169.254", "[fd00:ec2::254]", "10.0.0.1", "private.corral.test", "172.16.5.4", "192.168.1.1",
            "100.64.0.1", "100.100.100.200", "0.0.0.0", "0", "224.0.0.1", "255.255.255.255", "[fe80::1]", "[fc00::1]",
            "[ff02::1]", "[::]", "[64:ff9b::7f00:1]", "[2002:7f00:1::]", "[::127.0.0.1]"})
    void refusedAddressesAreRefusedInEverySpellingAndEveryProtocol(String host) {
        try (CorralHarness corral = harness(Invoker.ROOT, SandboxBackend.NATIVE)) {
            int port = loopback.port();
            int before = loopback.hits();
            String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            CorralHarness.Result r = run(corral, List.of("--network", "open"), """
                    ask() { exec 3<>/dev/tcp/127.0.0.1/3128; printf "$1" >&3; head -c 12 <&3; echo; exec 3<&-; }
                    ask 'GET http://%1$s:%2$d/http HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n'
                    ask 'CONNECT %1$s:%2$d HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n'
                    curl -sS -m 5 --proxy socks5h://127.0.0.1:3128 -o /dev/null -w '%%{http_code}\\n' http://%3$s:%2$d/socks 2>/dev/null; true
                    """.formatted(host, port, host.startsWith("[") ? host : bare));
            List<String> lines = r.stdout().lines().toList();
            assertEquals(3, lines.size(), r::toString);
            assertEquals("HTTP/1.1 403", lines.get(0), r::toString);
            assertEquals("HTTP/1.1 403", lines.get(1), r::toString);
            assertEquals("000", lines.get(2), r::toString);
            assertEquals(before, loopback.hits(), "the host's loopback server was reached");
        }
    }

    @Test
    void aRuleNamingTheHostExactlyMayLeadToLoopbackButAWildcardMayNot() {
        try (CorralHarness corral = harness(Invoker.ROOT, SandboxBackend.NATIVE)) {
            int port = loopback.port();
            int before = loopback.hits();
            CorralHarness.Result r = run(corral, List.of("--allow", "internal.corral.test:" + port, "--allow", "*.corral.test"), """
                    curl -sS -o /dev/null -w '%%{http_code} ' http://internal.corral.test:%1$d/
                    curl -sS -o /dev/null -w '%%{http_code}' --proxy http://127.0.0.1:3128 http://private.corral.test:%1$d/ 
                    """.formatted(port));
            assertEquals("200 403", r.stdout().strip(), r::toString);
            assertEquals(before + 1, loopback.hits());
        }
    }

    @Test
    void aTlsHelloForAnotherHostThanTheTunnelsIsRefused() throws IOException {
        try (CorralHarness corral = harness(Invoker.ROOT, SandboxBackend.NATIVE)) {
            corral.writeWorkspaceFile("test-ca.pem", Files.readString(net.testCa()));
            int before = secure.requests().size();
            CorralHarness.Result r = run(corral, List.of("--allow", "other.corral.test"), """
                    curl -sS -m 5 --cacert test-ca.pem --connect-to secure.corral.test:443:other.corral.test:443 https://secure.corral.test/ 2>/dev/null || echo refused
                    ask() { exec 3<>/dev/tcp/127.0.0.1/3128; printf 'CONNECT other.corral.test:443 HTTP/1.1\\r\\n\\r\\n' >&3; head -c 39 <&3 | head -c 12; echo; printf 'GET / HTTP/1.1\\r\\n\\r\\n' >&3; timeout 5 cat <&3 | head -c 100; echo "[end]"; }
                    ask
                    """);
            List<String> lines = r.stdout().lines().toList();
            assertEquals("refused", lines.get(0), r::toString);
            assertEquals("HTTP/1.1 200", lines.get(1), r::toString);
            assertTrue(lines.get(2).startsWith("[end]") || lines.get(2).isBlank(), "nothing came back for plain text on 443: " + r);
            assertEquals(before, secure.requests().size());
            String log = corral.corral("net", "log", "shell-project", "--json").stdout();
            assertTrue(log.contains("\"rule\":\"sni\"") && log.contains("names secure.corral.test"), log);
            assertTrue(log.contains("\"rule\":\"tls\""), log);
        }
    }

    @ParameterizedTest
    @EnumSource(SandboxBackend.class)
    void thereIsNoDnsAndNoRouteOutsideTheProxy(SandboxBackend backend) {
        try (CorralHarness corral = harness(Invoker.ROOT, backend)) {
            CorralHarness.Result r = run(corral, List.of("--allow", "web.corral.test"), """
                    getent hosts web.corral.test deb.debian.org && echo resolved
                    /usr/bin/python3 -c 'import socket; socket.getaddrinfo("deb.debian.org", 443)' 2>/dev/null && echo py-resolved
                    curl -sS -m 3 --noproxy '*' http://198.51.100.2/ 2>/dev/null && echo direct-reached
                    /usr/bin/python3 -c 'import socket; socket.create_connection(("198.51.100.2", 80), 3)' 2>/dev/null && echo py-direct
                    echo done
                    """);
            assertEquals("done", r.stdout().strip(), r::toString);
        }
    }

    @ParameterizedTest
    @EnumSource(SandboxBackend.class)
    void policyChangesReachTheRunningSandboxAtOnceAndPersist(SandboxBackend backend) throws Exception {
        try (CorralHarness corral = harness(Invoker.ROOT, backend)) {
            CorralHarness.Background bg = corral.corralInBackground("run", "--name", "live", "--", "bash", "-c", """
                    for i in $(seq 1 300); do
                      code=$(curl -sS -o /dev/null -w '%{http_code}' http://web.corral.test/live)
                      [ "$code" = 200 ] && { echo allowed-after-$i; break; }
                      sleep 0.1
                    done
                    for i in $(seq 1 300); do
                      code=$(curl -sS -o /dev/null -w '%{http_code}' http://web.corral.test/live)
                      [ "$code" = 403 ] && { echo denied-again; break; }
                      sleep 0.1
                    done
                    """);
            Thread.sleep(1500);
            CorralHarness.Result allow = corral.corral("policy", "allow", "web.corral.test", "--sandbox", "live");
            assertEquals(0, allow.exit(), allow::toString);
            assertTrue(allow.stderr().contains("in force now"), allow::toString);
            Thread.sleep(1500);
            CorralHarness.Result deny = corral.corral("policy", "deny", "web.corral.test", "--sandbox", "live");
            assertEquals(0, deny.exit(), deny::toString);
            CorralHarness.Result done = bg.await(java.time.Duration.ofSeconds(60)).orElseThrow();
            List<String> lines = done.stdout().lines().toList();
            assertEquals(2, lines.size(), done::toString);
            assertTrue(lines.get(0).startsWith("allowed-after-"), done::toString);
            assertEquals("denied-again", lines.get(1), done::toString);

            CorralHarness.Result ls = corral.corral("policy", "ls", "--sandbox", "live", "--json");
            assertTrue(ls.stdout().contains("\"action\" : \"deny\"") || ls.stdout().contains("\"action\": \"deny\""), ls::toString);
            assertTrue(ls.stdout().contains("web.corral.test") && ls.stdout().contains("\"policy\""), ls::toString);
            corral.corral("policy", "allow", "web.corral.test", "--sandbox", "live");
            CorralHarness.Result next = corral.corral("run", "--name", "live", "--", "curl", "-sS", "http://web.corral.test/");
            assertEquals("hello from 198.51.100.2", next.stdout().strip(), "persisted for the next run: " + next);
        }
    }

    @Test
    void rulesGivenToRunAreStoredWithTheSandbox() {
        try (CorralHarness corral = harness(Invoker.ROOT, SandboxBackend.NATIVE)) {
            assertEquals(0, corral.corral("run", "--allow", "web.corral.test", "--", "true").exit());
            CorralHarness.Result r = run(corral, List.of(), "curl -sS http://web.corral.test/");
            assertEquals("hello from 198.51.100.2", r.stdout().strip(), r::toString);
            CorralHarness.Result ls = corral.corral("policy", "ls");
            assertTrue(ls.stdout().lines().anyMatch(l -> l.matches("allow\\s+web\\.corral\\.test\\s+run\\s*")), ls::toString);
            assertTrue(ls.stdout().contains("preset balanced"), ls::toString);

            assertEquals(0, corral.corral("policy", "rm", "web.corral.test").exit());
            CorralHarness.Result after = run(corral, List.of(), "curl -sS -o /dev/null -w '%{http_code}' http://web.corral.test/");
            assertEquals("403", after.stdout().strip(), after::toString);
            CorralHarness.Result none = corral.corral("policy", "rm", "web.corral.test");
            assertEquals(125, none.exit(), none::toString);
            assertTrue(none.stderr().contains("has no stored rule for web.corral.test"), none::toString);
        }
    }

    @ParameterizedTest
    @EnumSource(SandboxBackend.class)
    void theLogRecordsEveryDecisionWithItsRuleAndBytes(SandboxBackend backend) {
        try (CorralHarness corral = harness(Invoker.ROOT, backend)) {
            run(corral, List.of("--allow", "web.corral.test"), """
                    curl -sS -o /dev/null http://web.corral.test/bytes/100000
                    curl -sS -o /dev/null http://echo.corral.test:7000/
                    """);
            CorralHarness.Result log = corral.corral("net", "log", "shell-project", "--json");
            List<Map<String, Object>> lines = log.stdout().lines().map(dev.corral.support.Json::parseObject).toList();
            assertEquals(2, lines.size(), log::toString);
            Map<String, Object> allowed = lines.get(0);
            assertEquals("web.corral.test", allowed.get("host"));
            assertEquals(80L, ((Number) allowed.get("port")).longValue());
            assertEquals("allow", allowed.get("decision"));
            assertEquals("GET", allowed.get("method"));
            assertEquals("allow web.corral.test (run)", allowed.get("rule"));
            assertTrue(((Number) allowed.get("bytesDown")).longValue() > 100_000, allowed::toString);
            assertTrue(((Number) allowed.get("bytesUp")).longValue() > 0, allowed::toString);
            Map<String, Object> denied = lines.get(1);
            assertEquals("echo.corral.test", denied.get("host"));
            assertEquals("deny", denied.get("decision"));
            assertFalse(String.valueOf(denied.get("rule")).isEmpty());
            CorralHarness.Result last = corral.corral("net", "log", "shell-project", "--limit", "1");
            assertEquals(2, last.stdout().lines().count(), "a header and one decision: " + last);
            assertTrue(last.stdout().contains("echo.corral.test") && last.stdout().contains("deny"), last::toString);
        }
    }

    @Test
    void malformedRequestsGetACleanErrorAndTheProxyGoesOn() {
        try (CorralHarness corral = harness(Invoker.ROOT, SandboxBackend.NATIVE)) {
            CorralHarness.Result r = run(corral, List.of("--allow", "web.corral.test"), """
                    ask() { exec 3<>/dev/tcp/127.0.0.1/3128; printf "$1" >&3; timeout 5 head -c "${2:-12}" <&3 | od -An -tx1 -v | tr -d ' \\n'; echo; exec 3<&-; }
                    ask 'CONNECT nonsense HTTP/1.1\\r\\n\\r\\n'
                    ask 'CONNECT web.corral.test:80 HTTP/9\\r\\n\\r\\n'
                    ask 'GET /relative HTTP/1.1\\r\\nHost: web.corral.test\\r\\n\\r\\n'
                    ask "GET http://web.corral.test/ HTTP/1.1\\r\\nX-Big: $(head -c 70000 /dev/zero | tr '\\0' a)\\r\\n\\r\\n"
                    ask 'GET http://web.corral.test/ HTTP/1.1\\r\\nContent-Length: 1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n'
                    ask '\\005\\000' 2
                    ask '\\005\\001\\000\\005\\001\\000\\011' 12
                    ask '\\004\\001\\000\\120\\177\\000\\000\\001\\000' 2
                    curl -sS http://web.corral.test/still-fine
                    """);
            List<String> lines = r.stdout().lines().toList();
            String http400 = hex("HTTP/1.1 400");
            assertEquals(http400, lines.get(0), r::toString);
            assertEquals(http400, lines.get(1), r::toString);
            assertEquals(http400, lines.get(2), r::toString);
            assertEquals(hex("HTTP/1.1 431"), lines.get(3), r::toString);
            assertEquals(http400, lines.get(4), r::toString);
            assertEquals("05ff", lines.get(5), "SOCKS5 without an acceptable method: " + r);
            assertEquals("0500050800010000000000", lines.get(6).substring(0, 22), "an unknown address type: " + r);
            assertEquals("005b", lines.get(7), "SOCKS4 is refused: " + r);
            assertEquals("hello from 198.51.100.2", lines.get(8), r::toString);
        }
    }

    private static String hex(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(java.nio.charset.StandardCharsets.US_ASCII)) sb.append(String.format("%02x", b));
        return sb.toString();
    }
}
