package dev.corral.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict parser for Corral's commands: {@code --name value}, {@code --name=value},
 * {@code -e value}, {@code -eVALUE}, grouped short flags ({@code -it}), options anywhere before
 * {@code --}, and everything after {@code --} kept verbatim. Hand-written rather than a library
 * because start-up time is most of Corral's overhead (see the README).
 */
final class ArgParser {
    private ArgParser() {
    }

    static ParsedArgs parse(String command, List<OptionSpec> specs, List<String> args) {
        Map<String, List<String>> options = new LinkedHashMap<>();
        List<String> positionals = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                return new ParsedArgs(command, options, positionals, List.copyOf(args.subList(i + 1, args.size())), List.copyOf(args));
            }
            if (arg.startsWith("--") ) {
                int eq = arg.indexOf('=');
                String name = eq < 0 ? arg : arg.substring(0, eq);
                OptionSpec spec = find(command, specs, name);
                if (spec.takesValue()) {
                    String value;
                    if (eq >= 0) {
                        value = arg.substring(eq + 1);
                    } else {
                        if (i + 1 >= args.size()) throw new UsageException(command, "option " + name + " needs a value (" + spec.valueLabel() + ")");
                        value = args.get(++i);
                    }
                    options.computeIfAbsent(spec.key(), k -> new ArrayList<>()).add(value);
                } else {
                    if (eq >= 0) throw new UsageException(command, "option " + name + " takes no value");
                    options.computeIfAbsent(spec.key(), k -> new ArrayList<>()).add("true");
                }
            } else if (arg.startsWith("-") && arg.length() > 1) {
                i = shortOptions(command, specs, args, i, options);
            } else {
                positionals.add(arg);
            }
        }
        return new ParsedArgs(command, options, positionals, List.of(), List.copyOf(args));
    }

    /** {@code -e VALUE}, {@code -eVALUE} or grouped flags {@code -it}; returns the last index used. */
    private static int shortOptions(String command, List<OptionSpec> specs, List<String> args, int i,
                                    Map<String, List<String>> options) {
        String arg = args.get(i);
        for (int c = 1; c < arg.length(); c++) {
            OptionSpec spec = find(command, specs, "-" + arg.charAt(c));
            if (!spec.takesValue()) {
                options.computeIfAbsent(spec.key(), k -> new ArrayList<>()).add("true");
                continue;
            }
            String value;
            if (c + 1 < arg.length()) {
                value = arg.substring(c + 1);
            } else {
                if (i + 1 >= args.size()) throw new UsageException(command, "option -" + arg.charAt(c) + " needs a value (" + spec.valueLabel() + ")");
                value = args.get(++i);
            }
            options.computeIfAbsent(spec.key(), k -> new ArrayList<>()).add(value);
            return i;
        }
        return i;
    }

    private static OptionSpec find(String command, List<OptionSpec> specs, String name) {
        for (OptionSpec spec : specs) {
            if (spec.names().contains(name)) return spec;
        }
        throw new UsageException(command, "unknown option '" + name + "'");
    }
}
