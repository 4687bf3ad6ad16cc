package dev.corral.cli;

import java.util.List;

/** The help texts. */
final class Help {
    private Help() {
    }

    static String overview(List<CliCommand> commands) {
        StringBuilder out = new StringBuilder("""
                Usage: corral [--debug] COMMAND [OPTIONS] [ARGS...]
                Run coding agents with full autonomy in a sandbox that protects everything but the workspace.

                Commands:
                """);
        for (CliCommand c : commands) out.append(String.format("  %-10s %s%n", c.name(), c.summary()));
        out.append("\nRun 'corral COMMAND --help' for a command's options.\n");
        return out.toString();
    }

    static String command(CliCommand command, List<OptionSpec> specs) {
        StringBuilder out = new StringBuilder("Usage: corral " + command.name() + " " + command.usage() + "\n"
                + command.summary() + "\n\nOptions:\n");
        for (OptionSpec spec : specs) {
            if (spec.isHidden()) continue;
            String names = String.join(", ", spec.names()) + (spec.takesValue() ? " " + spec.valueLabel() : "");
            out.append(String.format("  %-28s %s%n", names, spec.help()));
        }
        return out.toString();
    }
}
