package dev.corral.cli;

import dev.corral.sandbox.SandboxName;

import java.util.List;

/** {@code corral rm [-f] NAME...}: removes sandboxes with their homes. */
final class RmCommand implements CliCommand {
    @Override
    public String name() {
        return "rm";
    }

    @Override
    public String summary() {
        return "Remove sandboxes, their settings and their homes.";
    }

    @Override
    public String usage() {
        return "[-f] NAME...";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(OptionSpec.flag("Stop running sandboxes first.", "-f", "--force"));
    }

    @Override
    public int run(ParsedArgs args) {
        var corral = Services.corral();
        List<SandboxName> names = NamedCommand.names(name(), args, true);
        for (SandboxName name : names) corral.inspect(name);
        for (SandboxName name : names) corral.remove(name, args.flag("--force"));
        return 0;
    }
}
