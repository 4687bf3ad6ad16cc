package dev.corral.cli;

import dev.corral.app.SandboxView;
import dev.corral.support.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code corral ls [--json]}. */
@Command(name = "ls", aliases = "list", description = "List sandboxes.")
final class LsCommand implements Callable<Integer> {
    @Option(names = "--json", description = "One JSON document: an array of sandboxes.")
    boolean json;

    @Override
    public Integer call() {
        List<SandboxView> views = Services.corral().list();
        if (json) {
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
