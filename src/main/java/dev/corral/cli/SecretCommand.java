package dev.corral.cli;

import dev.corral.host.Identity;
import dev.corral.sandbox.CorralPaths;
import dev.corral.secrets.SecretDefinition;
import dev.corral.secrets.SecretEntry;
import dev.corral.secrets.SecretException;
import dev.corral.secrets.SecretStore;
import dev.corral.secrets.ServiceCatalog;
import dev.corral.support.Json;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code corral secret set|set-custom|ls|rm}: credentials the sandbox sees only as placeholders;
 * the proxy puts the real value into requests to the credential's own hosts.
 */
final class SecretCommand extends CliCommand {
    private static final String SUBCOMMANDS = "set, set-custom, ls or rm";
    private final Supplier<SecretStore> store;
    private final SecretInput input;
    private final PrintStream out;

    /** What the command line asks for. */
    sealed interface Action permits SetService, SetCustom, Ls, Rm {
    }

    record SetService(String service, List<String> hosts) implements Action {
    }

    record SetCustom(String name, List<String> hosts, List<String> envVars) implements Action {
    }

    record Ls(boolean json) implements Action {
    }

    record Rm(List<String> names) implements Action {
    }

    SecretCommand() {
        this(SecretCommand::openStore, SecretInput.standard(), System.out);
    }

    SecretCommand(Supplier<SecretStore> store, SecretInput input, PrintStream out) {
        super("secret", "Store credentials the sandbox sees only as placeholders.",
                """
                set SERVICE [--host HOST]...
                       corral secret set-custom NAME --host HOST... --env VAR...
                       corral secret ls [--json]
                       corral secret rm NAME...
                SERVICE: anthropic, openai, google, github, mistral, groq, openrouter, huggingface, npm.
                The value is read from stdin, or typed at a prompt without echo.""",
                List.of(OptionSpec.value("HOST", "A host the value may be sent to (repeat; *.example.com allowed).", "--host"),
                        OptionSpec.value("VAR", "set-custom: a variable that holds the placeholder (repeat).", "--env"),
                        OptionSpec.flag("ls: one JSON document, an array of secrets with their placeholders.", "--json")));
        this.store = store;
        this.input = input;
        this.out = out;
    }

    @Override
    int run(ParsedArgs args) {
        Action action = action(args);
        if (action instanceof SetService set) {
            stored(store(set.service(), ServiceCatalog.builtIn().service(set.service(), set.hosts())));
        } else if (action instanceof SetCustom custom) {
            stored(store(custom.name(), ServiceCatalog.builtIn().custom(custom.name(), custom.hosts(), custom.envVars())));
        } else if (action instanceof Ls ls) {
            list(ls.json());
        } else if (action instanceof Rm rm) {
            SecretStore secrets = store.get();
            for (String name : rm.names()) {
                if (secrets.find(name).isEmpty()) throw new SecretException("no secret named " + name, "list secrets with: corral secret ls");
            }
            for (String name : rm.names()) secrets.remove(name);
        }
        return 0;
    }

    /** The action, or a {@link UsageException} for a command line that doesn't fit any. */
    static Action action(ParsedArgs args) {
        String command = args.command();
        List<String> words = args.positionals();
        if (!args.afterDashes().isEmpty()) throw new UsageException(command, "unexpected arguments after --");
        if (words.isEmpty()) throw new UsageException(command, "missing the subcommand: " + SUBCOMMANDS);
        String sub = words.getFirst();
        List<String> rest = words.subList(1, words.size());
        switch (sub) {
            case "set" -> {
                only(args, sub, "--host");
                return new SetService(one(command, rest, "SERVICE"), args.values("--host"));
            }
            case "set-custom" -> {
                only(args, sub, "--host", "--env");
                if (args.values("--host").isEmpty()) throw new UsageException(command, "set-custom needs at least one --host HOST");
                if (args.values("--env").isEmpty()) throw new UsageException(command, "set-custom needs at least one --env VAR");
                return new SetCustom(one(command, rest, "NAME"), args.values("--host"), args.values("--env"));
            }
            case "ls" -> {
                only(args, sub, "--json");
                if (!rest.isEmpty()) throw new UsageException(command, "ls takes no arguments, got " + rest);
                return new Ls(args.flag("--json"));
            }
            case "rm" -> {
                only(args, sub);
                if (rest.isEmpty()) throw new UsageException(command, "rm needs the NAME of at least one secret");
                return new Rm(List.copyOf(rest));
            }
            default -> throw new UsageException(command, "unknown subcommand '" + sub + "', expected " + SUBCOMMANDS);
        }
    }

    private SecretEntry store(String name, SecretDefinition definition) {
        SecretStore secrets = store.get();
        String value = input.read("Value for " + name + " (not shown): ");
        return secrets.set(definition, value);
    }

    private void stored(SecretEntry entry) {
        out.println("stored secret " + entry.name() + " (" + entry.store() + "): the sandbox sees " + String.join(", ", entry.envVars())
                + " as a placeholder; the value is sent only to " + String.join(", ", entry.hosts()));
    }

    private void list(boolean json) {
        List<SecretEntry> entries = store.get().entries();
        if (json) {
            out.print(Json.writePretty(entries.stream().map(SecretEntry::toJson).toList()));
            return;
        }
        Table table = new Table("NAME", "ENV", "HOSTS", "STORE");
        for (SecretEntry e : entries) table.row(e.name(), String.join(",", e.envVars()), String.join(",", e.hosts()), e.store());
        out.print(table);
    }

    private static void only(ParsedArgs args, String sub, String... allowed) {
        for (String option : args.options().keySet()) {
            if (option.equals("--help") || option.equals("--debug") || List.of(allowed).contains(option)) continue;
            throw new UsageException(args.command(), "option " + option + " does not apply to '" + sub + "'");
        }
    }

    private static String one(String command, List<String> rest, String label) {
        if (rest.size() != 1) throw new UsageException(command, "expected one " + label + ", got " + (rest.isEmpty() ? "none" : rest));
        return rest.getFirst();
    }

    private static SecretStore openStore() {
        Map<String, String> env = System.getenv();
        Identity identity = Identity.current(env);
        return SecretStore.open(CorralPaths.fromEnvironment(env, identity.home(), identity.uid()), env);
    }
}
