package dev.corral.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.policy.HostPattern;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The package manager's commands and the hosts it may reach, for each registry and the user's own. */
class InstallPlanTest {
    private static final AgentProfile CLAUDE = SampleProfiles.npm("claude", "@anthropic-ai/claude-code");
    private static final AgentProfile AIDER = SampleProfiles.pypi("aider", "aider-chat");

    private static InstallPlan plan(AgentProfile profile, Map<String, String> env) {
        return InstallPlan.of(profile, Optional.empty(), env);
    }

    private static List<HostPattern> hosts(String... patterns) {
        return java.util.Arrays.stream(patterns).map(HostPattern::parse).toList();
    }

    // --- npm

    @Test
    void npmInstallsTheLatestPackageIntoTheAgentsOwnFolderFromTheNpmRegistry() {
        InstallPlan plan = plan(CLAUDE, Map.of());

        assertEquals(1, plan.steps().size());
        List<String> step = plan.steps().getFirst();
        assertEquals(List.of("npm", "install", "--prefix", "/run/corral-agents/claude"), step.subList(0, 4));
        assertEquals("@anthropic-ai/claude-code@latest", step.getLast());
        assertTrue(java.util.Collections.indexOfSubList(step, List.of("--registry", "https://registry.npmjs.org/")) > 0, step::toString);
        assertTrue(step.containsAll(List.of("--no-audit", "--no-fund", "--omit=dev")), step::toString);
        assertEquals(URI.create(InstallPlan.NPM_REGISTRY), plan.registry());
        assertEquals(hosts("registry.npmjs.org:443"), plan.hosts(), "the registry's port only: install scripts run behind this rule");
        assertFalse(plan.userRegistry());
        assertEquals("@anthropic-ai/claude-code from registry.npmjs.org", plan.describe());
    }

    @Test
    void npmInstallsAPinnedVersionExactly() {
        InstallPlan plan = InstallPlan.of(CLAUDE, Optional.of("2.1.0"), Map.of());

        assertEquals("@anthropic-ai/claude-code@2.1.0", plan.steps().getFirst().getLast());
        assertEquals(Optional.of("2.1.0"), plan.version());
        assertEquals("@anthropic-ai/claude-code@2.1.0 from registry.npmjs.org", plan.describe());
    }

    @ParameterizedTest
    @CsvSource({
            "npm_config_registry, http://npm.corp.example.com/,       http://npm.corp.example.com/,       npm.corp.example.com:80",
            "npm_config_registry, https://npm.corp.example.com/repo,  https://npm.corp.example.com/repo/, npm.corp.example.com:443",
            "NPM_CONFIG_REGISTRY, https://npm.corp.example.com/,      https://npm.corp.example.com/,      npm.corp.example.com:443",
            "npm_config_registry, http://10.0.0.5:4873,               http://10.0.0.5:4873/,              10.0.0.5:4873",
            "npm_config_registry, '  https://mirror.example.com  ',   https://mirror.example.com/,        mirror.example.com:443",
            "npm_config_registry, http://[::1]:4873/,                 http://[::1]:4873/,                 '[::1]:4873'",
    })
    void npmUsesTheRegistryTheUsersEnvironmentNames(String variable, String value, String registry, String host) {
        InstallPlan plan = plan(CLAUDE, Map.of(variable, value));

        assertEquals(URI.create(registry), plan.registry());
        assertTrue(java.util.Collections.indexOfSubList(plan.steps().getFirst(), List.of("--registry", registry)) > 0);
        assertEquals(hosts(host), plan.hosts());
        assertTrue(plan.userRegistry());
    }

    @Test
    void theLowerCaseNpmVariableWinsAndABlankOneIsIgnored() {
        assertEquals(URI.create("https://lower.example.com/"),
                plan(CLAUDE, Map.of("npm_config_registry", "https://lower.example.com", "NPM_CONFIG_REGISTRY", "https://upper.example.com")).registry());
        assertEquals(URI.create("https://upper.example.com/"),
                plan(CLAUDE, Map.of("npm_config_registry", "  ", "NPM_CONFIG_REGISTRY", "https://upper.example.com")).registry());
    }

    @Test
    void theStandardRegistryNamedExplicitlyIsNotTheUsersOwn() {
        InstallPlan plan = plan(CLAUDE, Map.of("npm_config_registry", "https://registry.npmjs.org"));

        assertEquals(URI.create(InstallPlan.NPM_REGISTRY), plan.registry());
        assertFalse(plan.userRegistry());
    }

    @Test
    void npmIgnoresPipsIndex() {
        assertEquals(URI.create(InstallPlan.NPM_REGISTRY), plan(CLAUDE, Map.of("PIP_INDEX_URL", "https://pypi.corp.example.com/simple")).registry());
    }

    // --- pypi

    @Test
    void pypiMakesAVirtualEnvironmentThenInstallsWithItsPipFromThePythonPackageIndex() {
        InstallPlan plan = plan(AIDER, Map.of());

        assertEquals(2, plan.steps().size());
        assertEquals(List.of("python3", "-m", "venv", "/run/corral-agents/aider"), plan.steps().getFirst());
        List<String> pip = plan.steps().get(1);
        assertEquals(List.of("/run/corral-agents/aider/bin/python", "-m", "pip", "install"), pip.subList(0, 4));
        assertTrue(java.util.Collections.indexOfSubList(pip, List.of("--index-url", "https://pypi.org/simple/")) > 0, pip::toString);
        assertEquals("aider-chat", pip.getLast());
        assertEquals(hosts("pypi.org:443", "files.pythonhosted.org:443"), plan.hosts(), "the index first, then where its files are");
        assertFalse(plan.userRegistry());
        assertEquals("aider-chat from pypi.org", plan.describe());
    }

    @Test
    void pypiInstallsAPinnedVersionExactly() {
        InstallPlan plan = InstallPlan.of(AIDER, Optional.of("0.86.1"), Map.of());

        assertEquals("aider-chat==0.86.1", plan.steps().get(1).getLast());
        assertEquals("aider-chat==0.86.1 from pypi.org", plan.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"PIP_INDEX_URL", "pip_index_url"})
    void pypiUsesTheUsersIndexAndOnlyItsHost(String variable) {
        InstallPlan plan = plan(AIDER, Map.of(variable, "https://pypi.corp.example.com:8443/simple"));

        assertEquals(URI.create("https://pypi.corp.example.com:8443/simple/"), plan.registry());
        assertTrue(plan.steps().get(1).contains("https://pypi.corp.example.com:8443/simple/"));
        assertEquals(hosts("pypi.corp.example.com:8443"), plan.hosts());
        assertTrue(plan.userRegistry());
    }

    @Test
    void pypiNamedExplicitlyStillReachesItsFilesHost() {
        InstallPlan plan = plan(AIDER, Map.of("PIP_INDEX_URL", "https://pypi.org/simple"));

        assertEquals(hosts("pypi.org:443", "files.pythonhosted.org:443"), plan.hosts());
        assertFalse(plan.userRegistry());
    }

    @Test
    void pypiIgnoresNpmsRegistry() {
        assertEquals(URI.create(InstallPlan.PYPI_INDEX), plan(AIDER, Map.of("npm_config_registry", "https://npm.example.com")).registry());
    }

    // --- what is refused

    @ParameterizedTest
    @ValueSource(strings = {"ftp://registry.example.com/", "https://user:pass@registry.example.com/", "https://token@registry.example.com",
            "https:///no-host", "garbage", "registry.example.com", "file:///etc/npm", "https://exa mple.com/", "https://*.example.com/",
            "javascript:alert(1)", "//registry.example.com/"})
    void aRegistryThatIsNotAPlainHttpAddressIsRefused(String registry) {
        AgentException e = assertThrows(AgentException.class, () -> plan(CLAUDE, Map.of("npm_config_registry", registry)));

        assertTrue(e.getMessage().startsWith("the package registry '" + registry.strip() + "' is not usable: "), e.getMessage());
        assertTrue(e.fix().orElseThrow().contains("npm_config_registry"), e.fix()::toString);
        assertThrows(AgentException.class, () -> plan(AIDER, Map.of("PIP_INDEX_URL", registry)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../1", "1/2", "", "a b", "1;rm -rf ~"})
    void aVersionThatIsNotPlainIsRefusedBeforeAnyCommandIsMade(String version) {
        assertThrows(AgentException.class, () -> InstallPlan.of(CLAUDE, Optional.of(version), Map.of()));
        assertThrows(AgentException.class, () -> InstallPlan.of(AIDER, Optional.of(version), Map.of()));
    }

    @Test
    void anAgentFromTheHostHasNoInstallPlan() {
        AgentException e = assertThrows(AgentException.class, () -> plan(SampleProfiles.host("kiro", "kiro-cli"), Map.of()));

        assertEquals("agent 'kiro' is not installed by Corral", e.getMessage());
        assertTrue(e.fix().orElseThrow().contains("--agent-from host"));
    }

    // --- the program inside

    @Test
    void theCommandIsInTheInstallsBinFolderInsideTheSandbox() {
        assertEquals(Path.of("/run/corral-agents/claude/node_modules/.bin/claude"), InstallPlan.command(CLAUDE));
        assertEquals(Path.of("/run/corral-agents/aider/bin/aider"), InstallPlan.command(AIDER));
        assertThrows(IllegalArgumentException.class, () -> InstallPlan.command(SampleProfiles.host("kiro", "kiro-cli")));
    }

    @Test
    void theStepsAndHostsCannotBeChanged() {
        InstallPlan plan = plan(AIDER, Map.of());

        assertThrows(UnsupportedOperationException.class, () -> plan.steps().clear());
        assertThrows(UnsupportedOperationException.class, () -> plan.steps().getFirst().clear());
        assertThrows(UnsupportedOperationException.class, () -> plan.hosts().clear());
    }

    @Test
    void aPlainHttpIndexTheUserChoseIsTrustedByPipForThatHostOnly() {
        InstallPlan plan = plan(AIDER, Map.of("PIP_INDEX_URL", "http://pypi.internal.example:8080/simple/"));

        List<String> pip = plan.steps().get(1);
        assertTrue(java.util.Collections.indexOfSubList(pip, List.of("--trusted-host", "pypi.internal.example")) > 0, pip::toString);
        assertEquals(hosts("pypi.internal.example:8080"), plan.hosts());
    }
}
