package dev.corral.cli;

import dev.corral.git.DiffFormat;

import java.util.List;

/** {@code corral diff NAME}: a branch sandbox's work, committed or not, against its branch point. */
final class DiffCommand extends CliCommand {
    DiffCommand() {
        super("diff", "Show a branch sandbox's changes (committed and not) against its branch point.", "[--stat|--name-status] NAME",
                List.of(OptionSpec.flag("A summary of the files changed.", "--stat"),
                        OptionSpec.flag("Each changed file with its kind of change.", "--name-status")));
    }

    @Override
    int run(ParsedArgs args) {
        var name = NamedCommand.names(name(), args, false).getFirst();
        if (args.flag("--stat") && args.flag("--name-status")) throw new UsageException(name(), "give --stat or --name-status, not both");
        DiffFormat format = args.flag("--stat") ? DiffFormat.STAT : args.flag("--name-status") ? DiffFormat.NAME_STATUS : DiffFormat.PATCH;
        Services.branches().diff(name, format, System.out, Notices::print);
        return 0;
    }
}
