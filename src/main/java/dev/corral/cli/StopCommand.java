package dev.corral.cli;

import dev.corral.sandbox.SandboxName;

import java.util.List;

/** {@code corral stop NAME...}. */
final class StopCommand extends CliCommand {
    StopCommand() {
        super("stop", "Stop running sandboxes.",
                "NAME...", List.of());
    }

    @Override
    int run(ParsedArgs args) {
        var corral = Services.corral();
        for (SandboxName name : NamedCommand.names(name(), args, true)) {
            if (!corral.stop(name)) Notices.print(name + " is not running");
        }
        return 0;
    }
}
