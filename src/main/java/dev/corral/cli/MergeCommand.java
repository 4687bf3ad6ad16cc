package dev.corral.cli;

import java.util.List;

/** {@code corral merge NAME}: a branch sandbox's commits into the current branch of its repository. */
final class MergeCommand extends CliCommand {
    MergeCommand() {
        super("merge", "Merge a branch sandbox's commits into your current branch.", "NAME", List.of());
    }

    @Override
    int run(ParsedArgs args) {
        var name = NamedCommand.names(name(), args, false).getFirst();
        Services.branches().merge(name, Notices::print);
        return 0;
    }
}
