package dev.corral.cli;

import java.util.List;

/**
 * One option of a command.
 *
 * @param names      spellings, e.g. {@code -e} and {@code --env}; the last is the canonical key
 * @param valueLabel the value's name in help, or null for a flag
 * @param help       one line of help
 */
record OptionSpec(List<String> names, String valueLabel, String help) {

    static OptionSpec flag(String help, String... names) {
        return new OptionSpec(List.of(names), null, help);
    }

    static OptionSpec value(String label, String help, String... names) {
        return new OptionSpec(List.of(names), label, help);
    }

    /** A flag for Corral's own use (a detached sandbox's supervisor), left out of the help. */
    static OptionSpec hidden(String... names) {
        return new OptionSpec(List.of(names), null, null);
    }

    boolean isHidden() {
        return help == null;
    }

    boolean takesValue() {
        return valueLabel != null;
    }

    String key() {
        return names.getLast();
    }
}
