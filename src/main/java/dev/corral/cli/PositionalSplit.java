package dev.corral.cli;

import picocli.CommandLine.Model.CommandSpec;

import java.util.List;

/** Splits a command's positional parameters at the {@code --} the user typed, which picocli drops. */
record PositionalSplit(List<String> beforeDashes, List<String> afterDashes) {

    static PositionalSplit of(CommandSpec spec, List<String> positionals) {
        List<String> original = spec.commandLine().getParseResult().originalArgs();
        int dashes = original.indexOf("--");
        if (dashes < 0) return new PositionalSplit(List.copyOf(positionals), List.of());
        int after = original.size() - dashes - 1;
        int before = positionals.size() - after;
        return new PositionalSplit(List.copyOf(positionals.subList(0, before)),
                List.copyOf(positionals.subList(before, positionals.size())));
    }
}
