package dev.corral.cli;

import dev.corral.app.SandboxView;
import dev.corral.support.Json;

import java.util.List;

/** {@code corral ls [--json]}. */
final class LsCommand extends CliCommand {
    LsCommand() {
        super("ls", "List sandboxes.",
                "[--json]", List.of(OptionSpec.flag("One JSON document: an array of sandboxes.", "--json")));
    }

    @Override
    int run(ParsedArgs args) {
        if (!args.positionals().isEmpty()) throw new UsageException(name(), "unexpected arguments " + args.positionals());
        List<SandboxView> views = Services.corral().list();
        if (args.flag("--json")) {
            System.out.print(Json.writePretty(views.stream().map(SandboxView::toJson).toList()));
            return 0;
        }
        Table table = new Table("NAME", "AGENT", "STATUS", "WORKSPACE", "LIMITS");
        for (SandboxView view : views) {
            table.row(view.spec().name().value(), view.spec().agent(), view.status().label(),
                    view.spec().workspace().toString(), view.limitsSummary());
        }
        System.out.print(table);
        return 0;
    }
}
