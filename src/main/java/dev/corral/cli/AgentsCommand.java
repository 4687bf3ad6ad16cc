package dev.corral.cli;

import dev.corral.agents.AgentCache;
import dev.corral.app.AgentService;
import dev.corral.support.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code corral agents [ls] [--json] [--offline]}, {@code corral agents install NAME [--version V]}, {@code corral agents rm NAME [VERSION]}. */
final class AgentsCommand extends CliCommand {
    AgentsCommand() {
        super("agents", "List agent profiles, installed versions and updates; install or remove versions.",
                "[ls [--json] [--offline] | install NAME [--version V] | rm NAME [VERSION]]",
                List.of(OptionSpec.flag("One JSON document.", "--json"),
                        OptionSpec.flag("Don't ask the registries for their newest versions.", "--offline"),
                        OptionSpec.value("VERSION", "The version to install (default: the registry's newest).", "--version")));
    }

    @Override
    int run(ParsedArgs args) {
        List<String> words = args.positionals();
        String verb = words.isEmpty() ? "ls" : words.getFirst();
        return switch (verb) {
            case "ls" -> {
                if (words.size() > 1) throw new UsageException(name(), "use: corral agents ls");
                yield list(args.flag("--json"), !args.flag("--offline"));
            }
            case "install" -> {
                if (words.size() != 2) throw new UsageException(name(), "use: corral agents install NAME [--version V]");
                AgentCache.Installed installed = Services.agents().install(words.get(1), args.value("--version"), Notices::print);
                System.out.println(installed.agent() + " " + installed.version() + " " + installed.dir());
                yield 0;
            }
            case "rm" -> {
                if (words.size() < 2 || words.size() > 3) throw new UsageException(name(), "use: corral agents rm NAME [VERSION]");
                List<String> removed = Services.agents().remove(words.get(1), words.size() == 3 ? Optional.of(words.get(2)) : Optional.empty());
                for (String version : removed) System.out.println("removed " + words.get(1) + " " + version);
                yield 0;
            }
            default -> throw new UsageException(name(), "unknown verb '" + verb + "' (use ls, install or rm)");
        };
    }

    private static int list(boolean json, boolean askRegistries) {
        List<AgentService.AgentStatus> statuses = Services.agents().list(askRegistries);
        if (json) {
            List<Object> all = new ArrayList<>();
            for (AgentService.AgentStatus s : statuses) {
                Map<String, Object> map = new LinkedHashMap<>();
                map.put("name", s.profile().name());
                map.put("description", s.profile().description());
                map.put("install", s.profile().install().describe());
                map.put("profile", s.profile().source());
                map.put("installed", s.installed());
                s.latest().ifPresent(v -> map.put("latest", v));
                map.put("updateAvailable", s.updateAvailable());
                all.add(map);
            }
            System.out.println(Json.writePretty(all));
            return 0;
        }
        Table table = new Table("AGENT", "FROM", "INSTALLED", "LATEST", "PROFILE");
        for (AgentService.AgentStatus s : statuses) {
            String latest = s.latest().map(v -> s.updateAvailable() ? v + " (update: corral agents install " + s.profile().name() + ")" : v)
                    .orElse(askRegistries ? "-" : "");
            table.row(s.profile().name(), s.profile().install().describe(),
                    s.installed().isEmpty() ? "-" : String.join(", ", s.installed()), latest, s.profile().source());
        }
        System.out.print(table);
        return 0;
    }
}
