package dev.corral.cli;

import java.util.List;

/** One subcommand: its name, its help, its options, and what it does with the parsed line. */
interface CliCommand {
    String name();

    /** One line for {@code corral --help}. */
    String summary();

    /** The synopsis after {@code corral NAME}, e.g. {@code [-f] NAME...}. */
    String usage();

    List<OptionSpec> options();

    /** Runs the command; the exit status. */
    int run(ParsedArgs args);
}
