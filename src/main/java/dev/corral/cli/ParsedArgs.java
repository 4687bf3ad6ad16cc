package dev.corral.cli;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed command line: option values by canonical name, the positional arguments before
 * {@code --}, everything after it untouched, and the arguments as given (for a command that
 * starts itself again, as {@code run -d} does).
 */
record ParsedArgs(String command, Map<String, List<String>> options, List<String> positionals, List<String> afterDashes,
                  List<String> given) {

    boolean flag(String key) {
        return options.containsKey(key);
    }

    Optional<String> value(String key) {
        List<String> values = options.get(key);
        return values == null ? Optional.empty() : Optional.of(values.getLast());
    }

    List<String> values(String key) {
        return options.getOrDefault(key, List.of());
    }
}
