package dev.corral.cli;

import java.util.List;

/** {@code corral version}. */
final class VersionCommand implements CliCommand {

    static String version() {
        String v = VersionCommand.class.getPackage().getImplementationVersion();
        return "corral " + (v == null ? "dev" : v);
    }

    @Override
    public String name() {
        return "version";
    }

    @Override
    public String summary() {
        return "Print Corral's version.";
    }

    @Override
    public String usage() {
        return "";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of();
    }

    @Override
    public int run(ParsedArgs args) {
        System.out.println(version());
        return 0;
    }
}
