package dev.corral.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.sandbox.CorralPaths;
import dev.corral.secrets.SecretException;
import dev.corral.secrets.SecretStore;
import dev.corral.secrets.ServiceCatalog;
import dev.corral.support.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretCommandTest {
    private static final String VALUE = "sk-REAL-VALUE-0123456789abcdef";

    @TempDir
    Path tmp;

    private SecretStore store;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<String> prompts = new ArrayList<>();
    private String typed = VALUE;

    @BeforeEach
    void store() {
        store = SecretStore.open(new CorralPaths(tmp.resolve("home"), tmp.resolve("data"), tmp.resolve("config"), tmp.resolve("run")), Map.of());
    }

    private SecretCommand command() {
        return new SecretCommand(() -> store, prompt -> {
            prompts.add(prompt);
            return typed;
        }, new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    private static ParsedArgs parse(String... args) {
        SecretCommand command = new SecretCommand();
        return ArgParser.parse("secret", Stream.concat(command.options().stream(), Main.COMMON.stream()).toList(), List.of(args));
    }

    private String run(String... args) {
        out.reset();
        assertEquals(0, command().run(parse(args)));
        return out.toString(StandardCharsets.UTF_8);
    }

    // --- parsing

    @Test
    void setTakesOneServiceAndAnyNumberOfHosts() {
        assertEquals(new SecretCommand.SetService("github", List.of("ghe.example.com", "*.ghe.example.com")),
                SecretCommand.action(parse("set", "github", "--host", "ghe.example.com", "--host=*.ghe.example.com")));
        assertEquals(new SecretCommand.SetService("openai", List.of()), SecretCommand.action(parse("set", "openai")));
    }

    @Test
    void setCustomNeedsHostsAndVariables() {
        assertEquals(new SecretCommand.SetCustom("my-svc", List.of("api.my.example"), List.of("MY_TOKEN", "MY_OTHER")),
                SecretCommand.action(parse("set-custom", "my-svc", "--host", "api.my.example", "--env", "MY_TOKEN", "--env", "MY_OTHER")));
        assertUsage("at least one --host", "set-custom", "my-svc", "--env", "MY_TOKEN");
        assertUsage("at least one --env", "set-custom", "my-svc", "--host", "api.my.example");
        assertUsage("expected one NAME, got none", "set-custom", "--host", "a.example.com", "--env", "A_KEY");
    }

    @Test
    void lsAndRmTakeWhatTheyShould() {
        assertEquals(new SecretCommand.Ls(false), SecretCommand.action(parse("ls")));
        assertEquals(new SecretCommand.Ls(true), SecretCommand.action(parse("ls", "--json")));
        assertEquals(new SecretCommand.Rm(List.of("a", "b")), SecretCommand.action(parse("rm", "a", "b")));
        assertUsage("rm needs the NAME", "rm");
        assertUsage("ls takes no arguments", "ls", "extra");
    }

    @Test
    void optionsOfOtherSubcommandsAndStrayArgumentsAreRefused() {
        assertUsage("--env does not apply to 'set'", "set", "openai", "--env", "X_KEY");
        assertUsage("--json does not apply to 'set'", "set", "openai", "--json");
        assertUsage("--host does not apply to 'ls'", "ls", "--host", "a.example.com");
        assertUsage("--json does not apply to 'rm'", "rm", "x", "--json");
        assertUsage("expected one SERVICE", "set", "openai", "github");
        assertUsage("expected one SERVICE, got none", "set");
        assertUsage("missing the subcommand", new String[0]);
        assertUsage("unknown subcommand 'add'", "add", "openai");
        assertUsage("after --", "ls", "--", "x");
        UsageException unknownOption = assertThrows(UsageException.class, () -> parse("set", "openai", "--value", "x"));
        assertTrue(unknownOption.getMessage().contains("--value"));
    }

    // --- running

    @Test
    void setStoresTheValueAndSaysWhereItMayGo() {
        String printed = run("set", "anthropic");

        assertEquals(List.of("Value for anthropic (not shown): "), prompts);
        assertTrue(printed.contains("ANTHROPIC_API_KEY"), printed);
        assertTrue(printed.contains("api.anthropic.com"), printed);
        assertFalse(printed.contains(VALUE));
        assertEquals(VALUE, store.resolveAll().getFirst().value());
    }

    @Test
    void lsShowsNeitherValueNorPlaceholderButJsonShowsThePlaceholder() {
        run("set", "github", "--host", "ghe.example.com");
        String placeholder = store.entries().getFirst().placeholder();

        String table = run("ls");
        String json = run("ls", "--json");

        assertEquals(List.of("NAME    ENV                    HOSTS                                                              STORE",
                "github  GH_TOKEN,GITHUB_TOKEN  github.com,api.github.com,*.githubusercontent.com,ghe.example.com  file"), table.lines().toList());
        assertFalse(json.contains(VALUE));
        @SuppressWarnings("unchecked")
        Map<String, Object> entry = (Map<String, Object>) ((List<Object>) Json.parse(json)).getFirst();
        assertEquals(placeholder, entry.get("placeholder"));
        assertEquals("file", entry.get("store"));
        assertEquals(List.of("GH_TOKEN", "GITHUB_TOKEN"), entry.get("env"));
    }

    @Test
    void anUnknownServiceIsRefusedBeforeAskingForTheValue() {
        SecretException e = assertThrows(SecretException.class, () -> command().run(parse("set", "gitlab")));

        assertTrue(e.fix().orElseThrow().contains("set-custom"));
        assertEquals(List.of(), prompts);
    }

    @Test
    void rmRemovesEveryNamedSecretOrNoneIfOneIsUnknown() {
        run("set", "openai");
        run("set-custom", "my-svc", "--host", "api.my.example", "--env", "MY_TOKEN");

        assertThrows(SecretException.class, () -> command().run(parse("rm", "openai", "nope")));
        assertEquals(2, store.entries().size(), "nothing removed");

        run("rm", "openai", "my-svc");
        assertEquals(List.of(), store.entries());
    }

    @Test
    void anEmptyValueIsRefused() {
        typed = "";

        SecretException e = assertThrows(SecretException.class, () -> command().run(parse("set", "openai")));

        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void stdinLosesOneTrailingNewlineOnly() {
        assertEquals("abc", SecretInput.fromStream(stream("abc\n")));
        assertEquals("abc", SecretInput.fromStream(stream("abc\r\n")));
        assertEquals("abc", SecretInput.fromStream(stream("abc")));
        assertEquals("abc\n", SecretInput.fromStream(stream("abc\n\n")));
        assertEquals("", SecretInput.fromStream(stream("")));
        assertThrows(SecretException.class, () -> SecretInput.fromStream(new ByteArrayInputStream(new byte[]{'a', (byte) 0xff})));
    }

    @Test
    void theHelpNamesEveryBuiltInService() {
        String usage = new SecretCommand().usage();

        for (String service : ServiceCatalog.builtIn().names()) assertTrue(usage.contains(service), service);
    }

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertUsage(String message, String... args) {
        UsageException e = assertThrows(UsageException.class, () -> SecretCommand.action(parse(args)));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertEquals("secret", e.command());
    }
}
