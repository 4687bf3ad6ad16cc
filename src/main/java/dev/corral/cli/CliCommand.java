package dev.corral.cli;

import java.util.List;

/** One subcommand: its name, its help, its options, and what it does with the parsed line. */
abstract class CliCommand {
    private final String name;
    private final String summary;
    private final String usage;
    private final List<OptionSpec> options;

    /**
     * @param summary one line for {@code corral --help}
     * @param usage   the synopsis after {@code corral NAME}, e.g. {@code [-f] NAME...}
     */
    CliCommand(String name, String summary, String usage, List<OptionSpec> options) {
        this.name = name;
        this.summary = summary;
        this.usage = usage;
        this.options = List.copyOf(options);
    }

    final String name() {
        return name;
    }

    final String summary() {
        return summary;
    }

    final String usage() {
        return usage;
    }

    final List<OptionSpec> options() {
        return options;
    }

    /** Runs the command; the exit status. */
    abstract int run(ParsedArgs args);
}
