package dev.corral.cli;

import java.util.List;

/** {@code corral version}. */
final class VersionCommand extends CliCommand {

    static String version() {
        String v = VersionCommand.class.getPackage().getImplementationVersion();
        return "corral " + (v == null ? "dev" : v);
    }

    VersionCommand() {
        super("version", "Print Corral's version.",
                "", List.of());
    }

    @Override
    int run(ParsedArgs args) {
        System.out.println(version());
        return 0;
    }
}
