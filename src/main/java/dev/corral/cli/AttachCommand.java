package dev.corral.cli;

import java.util.List;

/** {@code corral attach NAME}: the terminal of a detached sandbox, until it ends or the detach keys. */
final class AttachCommand extends CliCommand {
    AttachCommand() {
        super("attach", "Connect to a detached sandbox's terminal (Ctrl-P Ctrl-Q detaches again).",
                "[--detach-keys KEYS] NAME", List.of(OptionSpec.value("KEYS",
                        "The keys that detach, e.g. ctrl-p,ctrl-q (the default) or ctrl-a,d.", "--detach-keys")));
    }

    @Override
    int run(ParsedArgs args) {
        var name = NamedCommand.names(name(), args, false).getFirst();
        return Services.corral().attach(name, args.value("--detach-keys"), Notices::print);
    }
}
