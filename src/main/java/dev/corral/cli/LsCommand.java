package dev.corral.cli;

import dev.corral.app.SandboxView;
import dev.corral.support.Json;

import java.util.List;

/** {@code corral ls [--json]}. */
final class LsCommand extends CliCommand {
    LsCommand() {
        super("ls", "List sandboxes.",
                "[--json]", List.of(OptionSpec.flag("One JSON document: an array of sandboxes.", "--json")));
        // CHANGED: files changed in the workspace's repository (for a branch sandbox: since its branch point)
    }

    @Override
    int run(ParsedArgs args) {
        if (!args.positionals().isEmpty()) throw new UsageException(name(), "unexpected arguments " + args.positionals());
        List<SandboxView> views = Services.corral().list();
        if (args.flag("--json")) {
            System.out.print(Json.writePretty(views.stream().map(SandboxView::toJson).toList()));
            return 0;
        }
        Table table = new Table("NAME", "AGENT", "BRANCH", "STATUS", "UPTIME", "CHANGED", "MEMORY", "CPU", "WORKSPACE");
        for (SandboxView view : views) {
            table.row(view.spec().name().value(), view.spec().agent(), view.branch().orElse("-"), view.statusText(),
                    view.uptimeText(), view.changedText(), view.memoryText(), view.cpuText(), view.spec().workspace().toString());
        }
        System.out.print(table);
        return 0;
    }
}
