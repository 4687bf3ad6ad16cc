package dev.corral.cli;

import dev.corral.support.Json;

import java.util.List;

/** {@code corral inspect NAME}: the sandbox as one JSON document. */
final class InspectCommand implements CliCommand {
    @Override
    public String name() {
        return "inspect";
    }

    @Override
    public String summary() {
        return "Show a sandbox as JSON.";
    }

    @Override
    public String usage() {
        return "NAME";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of();
    }

    @Override
    public int run(ParsedArgs args) {
        var name = NamedCommand.names(name(), args, false).getFirst();
        System.out.print(Json.writePretty(Services.corral().inspect(name).toJson()));
        return 0;
    }
}
