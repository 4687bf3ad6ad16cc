package dev.corral.cli;

import dev.corral.sandbox.SandboxName;

import java.util.List;

/** {@code corral rm [-f] NAME...}: removes sandboxes with their homes. */
final class RmCommand extends CliCommand {
    RmCommand() {
        super("rm", "Remove sandboxes, their settings, homes and branch checkouts.",
                "[-f] NAME...", List.of(OptionSpec.flag("Stop running sandboxes first; drop uncommitted work and unmerged branches too.",
                        "-f", "--force")));
    }

    @Override
    int run(ParsedArgs args) {
        var corral = Services.corral();
        List<SandboxName> names = NamedCommand.names(name(), args, true);
        for (SandboxName name : names) corral.inspect(name);
        for (SandboxName name : names) corral.remove(name, args.flag("--force"), Notices::print);
        return 0;
    }
}
