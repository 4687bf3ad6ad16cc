package dev.corral.it;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Agents as the user's own profiles: installed once from the real npm registry into the shared
 * cache (read-only inside), logins kept in the agent's volume across its sandboxes, credentials
 * and an SSH agent shared only when asked, and every way an install or a profile can fail.
 */
class AgentProfilesIT {
    /** A tiny real npm package with a program: the stand-in for an agent's install. */
    private static final String TINY = """
            format = 1
            description = "semver as a stand-in agent"
            [install]
            from = "npm"
            package = "semver"
            [run]
            command = "semver"
            [network]
            hosts = ["tiny-agent-api.example.com"]
            """;
    /** The host's bash as an agent, with a login folder and a credentials file. */
    private static final String KEEPER = """
            format = 1
            [install]
            from = "host"
            [run]
            command = "bash"
            [environment]
            KEEPER_HOME = "~/.keeper"
            [network]
            hosts = ["keeper-api.example.com"]
            [files]
            login = ["~/.keeper"]
            host-credentials = ["~/.keeper/creds.json"]
            """;

    private static CorralHarness harness(Invoker invoker, String name, String profile) {
        CorralHarness corral = new CorralHarness(invoker);
        try {
            Path agents = Files.createDirectories(corral.home().resolve(".config/corral/agents"));
            Files.writeString(agents.resolve(name + ".toml"), profile);
            Path cache = Files.createDirectories(corral.root().resolve("agent-cache"));
            Files.writeString(corral.home().resolve(".config/corral/config.toml"), "[agents]\ncache-dir = \"" + cache + "\"\n");
            corral.chownTree(corral.root());
            return corral;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path cache(CorralHarness corral) {
        return corral.root().resolve("agent-cache");
    }

    private static List<Path> versions(CorralHarness corral, String agent) {
        Path dir = cache(corral).resolve(agent);
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path otherWorkspace(CorralHarness corral, String name) {
        try {
            Path dir = Files.createDirectories(corral.root().resolve("work").resolve(name));
            corral.chownTree(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(Invoker.class)
    void anAgentIsInstalledOnceFromTheNpmRegistryAndSharedReadOnly(Invoker invoker) {
        try (CorralHarness corral = harness(invoker, "tiny", TINY)) {
            CorralHarness.Result first = corral.corral("run", "tiny", "--", "1.2.3", "-r", ">1.0");

            assertEquals(0, first.exit(), first::toString);
            assertEquals("1.2.3", first.stdout().strip(), "the install's progress goes to stderr, not into the agent's output");
            assertTrue(first.stderr().contains("installing tiny: semver@7.") && first.stderr().contains(" from registry.npmjs.org"), first::toString);
            assertTrue(first.stderr().contains("installed tiny "), first::toString);
            List<Path> installed = versions(corral, "tiny");
            assertEquals(1, installed.size(), installed::toString);
            assertTrue(Files.isRegularFile(installed.getFirst().resolve(".corral-installed.json")));

            CorralHarness.Result second = corral.corralIn(otherWorkspace(corral, "second"), "run", "tiny", "--", "2.0.0");
            assertEquals(0, second.exit(), second::toString);
            assertEquals("2.0.0", second.stdout().strip());
            assertFalse(second.stderr().contains("installing"), "a second sandbox reuses the install: " + second);
            assertEquals(installed, versions(corral, "tiny"));

            CorralHarness.Result write = corral.corral("run", "--name", "tiny-project", "--", "sh", "-c",
                    "touch /run/corral-agents/tiny/node_modules/.bin/semver || rm -rf /run/corral-agents/tiny/node_modules/semver");
            assertNotEquals(0, write.exit(), "the agent can't change its own program: " + write);
            assertTrue(write.stderr().contains("Read-only file system"), write::toString);

            CorralHarness.Result list = corral.corral("agents", "--offline", "--json");
            assertEquals(0, list.exit(), list::toString);
            assertTrue(list.stdout().contains("\"name\": \"tiny\"") && list.stdout().contains(installed.getFirst().getFileName().toString()),
                    list::toString);

            CorralHarness.Result rules = corral.corral("policy", "ls", "--sandbox", "tiny-project");
            assertTrue(rules.stdout().lines().anyMatch(l -> l.contains("tiny-agent-api.example.com") && l.contains("agent tiny")), rules::toString);
            assertFalse(rules.stdout().contains("keeper"), rules::toString);
        }
    }

    @Test
    void aPinnedVersionIsInstalledBesideTheNewestAndKeptWithTheSandbox() {
        try (CorralHarness corral = harness(Invoker.ROOT, "tiny", TINY)) {
            CorralHarness.Result pinned = corral.corral("run", "tiny", "--agent-version", "7.5.0", "--", "--help");
            assertEquals(0, pinned.exit(), pinned::toString);
            assertTrue(pinned.stdout().contains("SemVer 7.5.0"), "the pinned version runs: " + pinned);
            assertTrue(pinned.stderr().contains("installing tiny: semver@7.5.0 from registry.npmjs.org"), pinned::toString);

            CorralHarness.Result again = corral.corral("run", "tiny", "--", "--help");
            assertTrue(again.stdout().contains("SemVer 7.5.0"), "the pin is stored with the sandbox: " + again);
            assertFalse(again.stderr().contains("installing"), again::toString);

            CorralHarness.Result newest = corral.corral("run", "tiny", "--agent-version", "newest", "--", "--help");
            assertEquals(0, newest.exit(), newest::toString);
            assertTrue(newest.stderr().contains("updated sandbox tiny-project: agent version 7.5.0 -> version newest"), newest::toString);
            assertTrue(newest.stdout().contains("SemVer 7.5.0"), "the newest installed is the only one installed: " + newest);

            CorralHarness.Result bad = corral.corral("run", "tiny", "--agent-version", "../7");
            assertEquals(125, bad.exit(), bad::toString);
            assertTrue(bad.stderr().startsWith("corral: '../7' is not a version"), bad::toString);
        }
    }

    @Test
    void theUsersOwnInstallRunsReadOnlyWithAgentFromHost() throws IOException {
        try (CorralHarness corral = harness(Invoker.ROOT, "tiny", TINY)) {
            Path bin = Files.createDirectories(corral.root().resolve("opt/tiny/bin"));
            Files.writeString(bin.resolve("semver"), "#!/bin/sh\necho \"host semver $*\"\ntouch \"$0\" 2>/dev/null || echo read-only\n");
            Files.writeString(bin.getParent().resolve("package.json"), "{\"name\": \"semver\"}");
            CorralHarness.run("chmod", "755", bin.resolve("semver").toString());
            Map<String, String> path = Map.of("PATH", bin + ":/usr/local/bin:/usr/bin:/bin");

            CorralHarness.Result r = corral.corralVia(List.of(), path, "run", "tiny", "--agent-from", "host", "--", "1.0.0");

            assertEquals(0, r.exit(), r::toString);
            assertEquals(List.of("host semver 1.0.0", "read-only"), r.stdout().lines().toList());
            assertFalse(r.stderr().contains("installing"), "nothing is installed: " + r);
            assertEquals(List.of(), versions(corral, "tiny"));

            CorralHarness.Result missing = corral.corral("run", "tiny", "--", "1.0.0");
            assertEquals(125, missing.exit(), "--agent-from host is kept, and semver is not on this PATH: " + missing);
            assertTrue(missing.stderr().startsWith("corral: semver is not on your PATH"), missing::toString);
        }
    }

    @Test
    void aPythonAgentIsInstalledIntoAVirtualEnvironmentFromItsPackageIndex() throws IOException {
        byte[] wheel = PythonWheel.consoleScript("tinyagent", "1.0.0",
                "import sys\ndef main():\n    print('tinyagent ' + ' '.join(sys.argv[1:]) + ' from ' + sys.prefix)\n");
        HttpServer index = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 10);
        String file = "tinyagent-1.0.0-py3-none-any.whl";
        index.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            if (path.equals("/simple/tinyagent/")) {
                exchange.getResponseHeaders().add("Content-Type", "text/html"); // pip reads no page without it
                body = ("<html><body><a href=\"/files/" + file + "\">" + file + "</a></body></html>").getBytes();
            } else if (path.equals("/files/" + file)) {
                body = wheel;
            } else if (path.equals("/pypi/tinyagent/json")) {
                body = "{\"info\": {\"version\": \"1.0.0\"}}".getBytes();
            } else {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        index.start();
        String profile = """
                format = 1
                [install]
                from = "pypi"
                package = "tinyagent"
                [run]
                command = "tinyagent"
                autonomy = ["--yes-always"]
                """;
        try (CorralHarness corral = harness(Invoker.ROOT, "pyagent", profile)) {
            Path hosts = corral.root().resolve("hosts");
            Files.writeString(hosts, "127.0.0.1 pypi.corral.test\n");
            corral.jvmOptions(List.of("-Djdk.net.hosts.file=" + hosts));
            Map<String, String> env = Map.of("PIP_INDEX_URL", "http://pypi.corral.test:" + index.getAddress().getPort() + "/simple/");

            CorralHarness.Result r = corral.corralVia(List.of(), env, "run", "pyagent", "--", "hello");

            assertEquals(0, r.exit(), r::toString);
            assertEquals("tinyagent --yes-always hello from /run/corral-agents/pyagent", r.stdout().strip(),
                    "the console script runs from the venv, at the path it was installed for");
            assertTrue(r.stderr().contains("installing pyagent: tinyagent==1.0.0 from pypi.corral.test"), r::toString);
            assertEquals(1, versions(corral, "pyagent").size());
            assertEquals("1.0.0", versions(corral, "pyagent").getFirst().getFileName().toString());
        } finally {
            index.stop(0);
        }
    }

    @Test
    void anInstallKilledHalfwayIsNeverUsedAndTheNextRunInstallsAfresh() throws Exception {
        try (CorralHarness corral = harness(Invoker.ROOT, "tiny", TINY)) {
            CorralHarness.Background run = corral.corralInBackground("run", "tiny", "--", "3.0.0");
            Path agentDir = cache(corral).resolve("tiny");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            boolean staged = false;
            while (!staged && System.nanoTime() < deadline && run.process().isAlive()) {
                if (Files.isDirectory(agentDir)) {
                    try (Stream<Path> s = Files.list(agentDir)) {
                        staged = s.anyMatch(p -> p.getFileName().toString().startsWith(".staging-")
                                && Files.exists(p.resolve("package/node_modules")));
                    }
                }
                Thread.sleep(5);
            }
            assertTrue(staged, "the install got under way");
            run.process().descendants().forEach(ProcessHandle::destroyForcibly);
            run.process().destroyForcibly();
            run.process().waitFor();

            for (Path version : versions(corral, "tiny")) {
                assertTrue(Files.isRegularFile(version.resolve(".corral-installed.json")), "a version in the cache is complete: " + version);
            }
            CorralHarness.Result again = corral.corral("run", "tiny", "--", "3.0.0");
            assertEquals(0, again.exit(), again::toString);
            assertEquals("3.0.0", again.stdout().strip());
            try (Stream<Path> s = Files.list(agentDir)) {
                assertFalse(s.anyMatch(p -> p.getFileName().toString().startsWith(".staging-")), "the killed install's leftovers are gone");
            }
        }
    }

    @Test
    void anInstallTheRegistryRefusesNamesTheCauseExits125AndLeavesNothing() throws IOException {
        HttpServer registry = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 10);
        registry.createContext("/", exchange -> {
            byte[] body = "{\"error\":\"forbidden by policy\"}".getBytes();
            exchange.sendResponseHeaders(403, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        registry.start();
        try (CorralHarness corral = harness(Invoker.ROOT, "tiny", TINY)) {
            // a name, not 127.0.0.1: inside, that would be the sandbox's own loopback
            Path hosts = corral.root().resolve("hosts");
            Files.writeString(hosts, "127.0.0.1 registry.corral.test\n");
            corral.jvmOptions(List.of("-Djdk.net.hosts.file=" + hosts));
            String url = "http://registry.corral.test:" + registry.getAddress().getPort() + "/";
            CorralHarness.Result asked = corral.corralVia(List.of(), Map.of("npm_config_registry", url), "run", "tiny", "--", "1.0.0");
            assertEquals(125, asked.exit(), asked::toString);
            assertEquals("corral: cannot ask registry.corral.test for the newest semver: it answered 403; check the registry "
                    + "(npm_config_registry / PIP_INDEX_URL), or pin a version with --agent-version", asked.stderr().strip());

            CorralHarness.Result refused = corral.corralVia(List.of(), Map.of("npm_config_registry", url), "run", "tiny",
                    "--agent-version", "7.5.0", "--", "1.0.0");

            assertEquals(125, refused.exit(), refused::toString);
            assertTrue(refused.stderr().lines().anyMatch(l -> l.startsWith("corral: installing tiny (semver@7.5.0 from registry.corral.test) failed: npm exited")),
                    refused::toString);
            assertTrue(refused.stderr().contains("403"), "npm's own message says what the registry answered: " + refused);
            assertEquals(List.of(), versions(corral, "tiny"));
            assertFalse(refused.stdout().contains("1.0.0"));

            CorralHarness.Result unreachable = corral.corralVia(List.of(), Map.of("npm_config_registry", "https://registry.invalid/"),
                    "run", "tiny", "--", "1.0.0");
            assertEquals(125, unreachable.exit(), unreachable::toString);
            assertTrue(unreachable.stderr().startsWith("corral: cannot ask registry.invalid for the newest semver: the name registry.invalid does not resolve"),
                    unreachable::toString);

            CorralHarness.Result noRoute = corral.corralVia(List.of(), Map.of("npm_config_registry", "https://registry.invalid/"),
                    "run", "tiny", "--agent-version", "7.5.0", "--", "1.0.0");
            assertEquals(125, noRoute.exit(), noRoute::toString);
            assertTrue(noRoute.stderr().contains("registry.invalid:443 could not be reached (the name registry.invalid does not resolve)"),
                    noRoute::toString);
            assertEquals(List.of(), versions(corral, "tiny"));
        } finally {
            registry.stop(0);
        }
    }

    @Test
    void anUnknownAgentAndABrokenProfileEachGiveOneClearLineAnd125() throws IOException {
        try (CorralHarness corral = harness(Invoker.ROOT, "broken", "format = 1\n[install]\nfrom = \"npm\"\n[run]\ncommand = \"x\"\n")) {
            CorralHarness.Result unknown = corral.corral("run", "nosuch-agent");
            assertEquals(125, unknown.exit(), unknown::toString);
            assertTrue(unknown.stderr().startsWith("corral: unknown agent 'nosuch-agent'"), unknown::toString);
            assertTrue(unknown.stderr().contains("claude"), "the known ones are named: " + unknown);

            CorralHarness.Result broken = corral.corral("run", "broken");
            assertEquals(125, broken.exit(), broken::toString);
            Path file = corral.home().resolve(".config/corral/agents/broken.toml");
            assertTrue(broken.stderr().startsWith("corral: agent profile " + file + ":1: [install] package is missing"), broken::toString);
            assertEquals(1, broken.stderr().strip().lines().count(), broken::toString);

            Files.writeString(file, "format = 2\n");
            CorralHarness.Result future = corral.corral("run", "broken");
            assertEquals(125, future.exit(), future::toString);
            assertTrue(future.stderr().contains(file + ":1: profile format 2 is not known"), future::toString);
        }
    }

    @ParameterizedTest
    @EnumSource(Invoker.class)
    void aLoginPersistsInTheAgentsVolumeAcrossItsSandboxesAndNowhereElse(Invoker invoker) {
        try (CorralHarness corral = harness(invoker, "keeper", KEEPER)) {
            CorralHarness.Result login = corral.corral("run", "keeper", "--", "-c", "echo token-1 > \"$KEEPER_HOME/login\"");
            assertEquals(0, login.exit(), login::toString);

            CorralHarness.Result elsewhere = corral.corralIn(otherWorkspace(corral, "other"), "run", "keeper", "--", "-c", "cat ~/.keeper/login");
            assertEquals(0, elsewhere.exit(), elsewhere::toString);
            assertEquals("token-1", elsewhere.stdout().strip(), "another sandbox of the agent is logged in already");

            CorralHarness.Result shell = corral.corral("run", "--", "sh", "-c", "cat ~/.keeper/login");
            assertNotEquals(0, shell.exit(), "a sandbox of another agent doesn't see it: " + shell);
            assertTrue(Files.isRegularFile(corral.home().resolve(".local/share/corral/volumes/agent-keeper/.keeper/login")));
            assertFalse(Files.exists(corral.home().resolve(".keeper")), "the user's real home is untouched");
        }
    }

    @Test
    void hostCredentialsAreSharedReadOnlyAndOnlyWhenAsked() throws IOException {
        try (CorralHarness corral = harness(Invoker.ROOT, "keeper", KEEPER)) {
            Path creds = Files.createDirectories(corral.home().resolve(".keeper")).resolve("creds.json");
            Files.writeString(creds, "{\"token\":\"host-login\"}");

            CorralHarness.Result none = corral.corral("run", "keeper", "--", "-c", "cat ~/.keeper/creds.json");
            assertNotEquals(0, none.exit(), "not shared unless asked: " + none);

            CorralHarness.Result shared = corral.corral("run", "keeper", "--credentials", "host", "--", "-c",
                    "cat ~/.keeper/creds.json; echo; echo stolen > ~/.keeper/creds.json");
            assertTrue(shared.stdout().contains("host-login"), shared::toString);
            assertTrue(shared.stderr().contains("Read-only file system"), shared::toString);
            assertEquals("{\"token\":\"host-login\"}", Files.readString(creds));

            CorralHarness.Result kept = corral.corral("run", "keeper", "--", "-c", "cat ~/.keeper/creds.json");
            assertTrue(kept.stdout().contains("host-login"), "the choice is stored with the sandbox: " + kept);

            CorralHarness.Result off = corral.corral("run", "keeper", "--credentials", "none", "--", "-c", "cat ~/.keeper/creds.json");
            assertNotEquals(0, off.exit(), off::toString);
            assertFalse(Files.exists(corral.home().resolve(".local/share/corral/volumes/agent-keeper/.keeper/creds.json")),
                    "the mount point made for the shared file is removed after the run");
        }
    }

    @Test
    void aLinkTheSandboxLeftWhereAMountWillLandStopsTheNextLaunchAndCreatesNothingOnTheHost() throws IOException {
        try (CorralHarness corral = harness(Invoker.ROOT, "keeper", KEEPER)) {
            Files.createDirectories(corral.home().resolve(".keeper"));
            Files.writeString(corral.home().resolve(".keeper/creds.json"), "{}");
            Path victim = Files.createDirectories(corral.root().resolve("victim"));
            CorralHarness.Result plant = corral.corral("run", "keeper", "--credentials", "host", "--", "-c",
                    "mv ~/.keeper ~/.moved && ln -s /oldroot" + victim + " ~/.keeper && echo planted");
            assertTrue(plant.stdout().contains("planted"), plant::toString);

            CorralHarness.Result next = corral.corral("run", "keeper", "--", "-c", "cat ~/.keeper/creds.json");

            assertEquals(125, next.exit(), next::toString);
            assertTrue(next.stderr().contains("is a link (a sandbox may have planted it)"), next::toString);
            try (Stream<Path> created = Files.list(victim)) {
                assertEquals(List.of(), created.toList(), "nothing was made on the host through the link");
            }
        }
    }

    @Test
    void anSshAgentIsForwardedOnlyWhenAskedAndWithAWarning() throws Exception {
        try (CorralHarness corral = harness(Invoker.ROOT, "keeper", KEEPER)) {
            Path sock = corral.root().resolve("ssh-agent.sock");
            Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", sock.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                for (int i = 0; i < 200 && !Files.exists(sock); i++) Thread.sleep(10);
                Path key = corral.root().resolve("id_test");
                CorralHarness.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "corral-test-key", "-f", key.toString());
                ProcessBuilder add = new ProcessBuilder("ssh-add", key.toString()).redirectErrorStream(true);
                add.environment().put("SSH_AUTH_SOCK", sock.toString());
                assertEquals(0, add.start().waitFor());
                Map<String, String> env = Map.of("SSH_AUTH_SOCK", sock.toString());

                CorralHarness.Result without = corral.corralVia(List.of(), env, "run", "keeper", "--", "-c", "ssh-add -l; echo \"sock=$SSH_AUTH_SOCK\"");
                assertFalse(without.stdout().contains("corral-test-key"), without::toString);
                assertTrue(without.stdout().contains("sock=\n") || without.stdout().endsWith("sock="), without::toString);

                CorralHarness.Result with = corral.corralVia(List.of(), env, "run", "keeper", "--ssh-agent", "--", "-c", "ssh-add -l");
                assertEquals(0, with.exit(), with::toString);
                assertTrue(with.stdout().contains("corral-test-key"), with::toString);
                assertTrue(with.stderr().contains("--ssh-agent: the sandbox can use every key your SSH agent holds"), with::toString);
            } finally {
                agent.destroy();
            }
        }
    }
}
