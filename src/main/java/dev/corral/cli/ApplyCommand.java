package dev.corral.cli;

import java.util.List;

/** {@code corral apply NAME}: a branch sandbox's work as uncommitted changes in your checkout. */
final class ApplyCommand extends CliCommand {
    ApplyCommand() {
        super("apply", "Take a branch sandbox's work (committed and not) as uncommitted changes.", "NAME", List.of());
    }

    @Override
    int run(ParsedArgs args) {
        var name = NamedCommand.names(name(), args, false).getFirst();
        Services.branches().apply(name, Notices::print);
        return 0;
    }
}
