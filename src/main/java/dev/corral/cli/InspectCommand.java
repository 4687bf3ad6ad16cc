package dev.corral.cli;

import dev.corral.support.Json;

import java.util.List;

/** {@code corral inspect NAME}: the sandbox as one JSON document. */
final class InspectCommand extends CliCommand {
    InspectCommand() {
        super("inspect", "Show a sandbox as JSON.",
                "NAME", List.of());
    }

    @Override
    int run(ParsedArgs args) {
        var name = NamedCommand.names(name(), args, false).getFirst();
        System.out.print(Json.writePretty(Services.corral().inspect(name).toJson()));
        return 0;
    }
}
