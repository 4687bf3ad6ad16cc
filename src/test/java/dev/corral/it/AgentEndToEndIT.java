package dev.corral.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real agents from the npm registry, run by {@code corral run AGENT} against a local mock of
 * their model APIs (HTTPS on loopback, a test CA the proxy trusts): the answer reaches the user,
 * the mock sees the real key, the sandbox only ever holds the placeholder. The installs are kept
 * between runs in {@link AgentInstalls#cache()}, a folder CI keeps.
 */
class AgentEndToEndIT {
    private static final String REPLY = "MOCK-REPLY-7f3e";
    private static final String ANTHROPIC_KEY = "sk-ant-api03-REAL-4b1d9e-do-not-leak";
    private static final String OPENAI_KEY = "sk-proj-REAL-8c2a7f-do-not-leak";
    /** What the model asks Claude to run with its Bash tool: what the agent's own processes can see and do. */
    private static final String TOOL = "env > agent-env.txt; "
            + "(touch /run/corral-agents/claude/node_modules/.bin/claude && echo writable || echo read-only) > agent-binary.txt; "
            + "git config user.name > agent-git.txt 2>&1; echo \"$GIT_AUTHOR_NAME <$GIT_AUTHOR_EMAIL>\" >> agent-git.txt";
    static MockModelApi api;

    @BeforeAll
    static void mock() {
        api = new MockModelApi(REPLY, TOOL);
    }

    @AfterAll
    static void stop() {
        if (api != null) api.close();
    }

    /**
     * A root harness with the shared install cache and a git identity, the agent installed (from the
     * npm registry, unless a run before this one did), and then a proxy that resolves and trusts the mock.
     */
    private static CorralHarness harness(String agent, SandboxBackend backend) throws IOException {
        CorralHarness corral = new CorralHarness(Invoker.ROOT, backend);
        AgentInstalls.configure(corral, "[network]\nca-files = [\"" + api.ca() + "\"]\n");
        CorralHarness.Result version = corral.corral("run", agent, "--name", "version-check", "--", "--version");
        assertEquals(0, version.exit(), version::toString);
        corral.corral("rm", "version-check");
        corral.jvmOptions(List.of("-Djdk.net.hosts.file=" + api.hostsFile())); // only the mock's name resolves now
        Files.writeString(corral.home().resolve(".gitconfig"), "[user]\n\tname = Ada Tester\n\temail = ada@example.test\n");
        return corral;
    }

    @ParameterizedTest
    @EnumSource(SandboxBackend.class)
    void claudeAnswersInFullAutonomyAndTheSandboxOnlyEverHoldsThePlaceholder(SandboxBackend backend) throws IOException {
        try (CorralHarness corral = harness("claude", backend)) {
            CorralHarness.Result set = corral.corralWithInput(ANTHROPIC_KEY + "\n", "secret", "set", "anthropic", "--host", MockModelApi.HOST);
            assertEquals(0, set.exit(), set::toString);
            int before = api.requests().size();

            CorralHarness.Result r = corral.corral("run", "claude", "--allow", MockModelApi.HOST + ":" + api.port(),
                    "-e", "ANTHROPIC_BASE_URL=" + api.baseUrl(), "--", "-p", "Run the command, then say the word.");

            assertEquals(0, r.exit(), r::toString);
            assertTrue(r.stdout().contains(REPLY), "the reply reaches the user: " + r);
            List<MockModelApi.Request> messages = api.requests().subList(before, api.requests().size()).stream()
                    .filter(q -> q.path().startsWith("/v1/messages")).toList();
            assertTrue(messages.size() >= 2, "the tool call and the answer: " + messages);
            for (MockModelApi.Request q : messages) assertEquals(ANTHROPIC_KEY, q.headers().get("x-api-key"), q.toString());
            assertTrue(messages.stream().anyMatch(q -> q.body().contains("tool_result")), "the agent ran the tool on its own");

            String env = Files.readString(corral.workspace().resolve("agent-env.txt"));
            String placeholder = env.lines().filter(l -> l.startsWith("ANTHROPIC_API_KEY=")).findFirst().orElseThrow()
                    .substring("ANTHROPIC_API_KEY=".length());
            assertTrue(placeholder.startsWith("sk-ant-api03-corral-"), env);
            assertFalse(env.contains(ANTHROPIC_KEY), "the agent's environment holds the placeholder only");
            assertTrue(env.contains("HTTPS_PROXY=http://127.0.0.1:3128"), env);
            assertFalse(env.contains("OPENAI"), "another agent's secrets are not this one's: " + env);
            assertEquals("read-only", Files.readString(corral.workspace().resolve("agent-binary.txt")).strip(),
                    "the agent can't change its own program");
            assertTrue(Files.readString(corral.workspace().resolve("agent-git.txt")).contains("Ada Tester <ada@example.test>"),
                    "commits inside are the user's");

            Path volume = corral.home().resolve(".local/share/corral/volumes/agent-claude/.claude");
            try (var files = Files.list(volume)) {
                assertTrue(files.findAny().isPresent(), "the agent's settings and login live in its volume: " + volume);
            }
            assertFalse(r.stdout().contains(ANTHROPIC_KEY) || r.stderr().contains(ANTHROPIC_KEY), r::toString);
            SecretSearch.assertNoFileHolds(corral.root(), ANTHROPIC_KEY);
        }
    }

    @ParameterizedTest
    @EnumSource(SandboxBackend.class)
    void codexAnswersThroughTheProxyWithTheRealKeyInjected(SandboxBackend backend) throws IOException {
        try (CorralHarness corral = harness("codex", backend)) {
            CorralHarness.Result set = corral.corralWithInput(OPENAI_KEY + "\n", "secret", "set", "openai", "--host", MockModelApi.HOST);
            assertEquals(0, set.exit(), set::toString);
            int before = api.requests().size();

            CorralHarness.Result r = corral.corral("run", "codex", "--allow", MockModelApi.HOST + ":" + api.port(), "--",
                    "exec", "--skip-git-repo-check", "-c", "openai_base_url=" + api.baseUrl() + "/v1", "Say the word.");

            assertEquals(0, r.exit(), r::toString);
            assertTrue(r.stdout().contains(REPLY), "the reply reaches the user: " + r);
            List<MockModelApi.Request> calls = api.requests().subList(before, api.requests().size()).stream()
                    .filter(q -> q.path().startsWith("/v1/responses")).toList();
            assertFalse(calls.isEmpty(), "codex called the Responses API");
            for (MockModelApi.Request q : calls) assertEquals("Bearer " + OPENAI_KEY, q.headers().get("authorization"), q.toString());
            assertTrue(r.stderr().contains("danger-full-access") || r.stdout().contains("danger-full-access"),
                    "codex's own sandbox is off: Corral is the sandbox: " + r);
            assertFalse(r.stdout().contains(OPENAI_KEY) || r.stderr().contains(OPENAI_KEY), r::toString);
            SecretSearch.assertNoFileHolds(corral.root(), OPENAI_KEY);
        }
    }
}
