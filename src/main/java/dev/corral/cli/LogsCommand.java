package dev.corral.cli;

import java.util.List;
import java.util.OptionalInt;

/** {@code corral logs [-f] [-n N] NAME}: what a detached sandbox wrote to its terminal. */
final class LogsCommand extends CliCommand {
    LogsCommand() {
        super("logs", "Show what a detached sandbox wrote to its terminal.", "[-f] [-n N] NAME", List.of(
                OptionSpec.flag("Keep showing new output until the sandbox stops.", "-f", "--follow"),
                OptionSpec.value("N", "Only the last N lines.", "-n", "--tail")));
    }

    @Override
    int run(ParsedArgs args) {
        var name = NamedCommand.names(name(), args, false).getFirst();
        OptionalInt tail = OptionalInt.empty();
        if (args.value("--tail").isPresent()) {
            try {
                tail = OptionalInt.of(Integer.parseInt(args.value("--tail").get()));
            } catch (NumberFormatException e) {
                throw new UsageException(name(), "--tail needs a whole number of lines, not '" + args.value("--tail").get() + "'");
            }
            if (tail.getAsInt() < 0) throw new UsageException(name(), "--tail needs a number of lines of 0 or more");
        }
        Services.corral().logs(name, args.flag("--follow"), tail, System.out);
        return 0;
    }
}
