package dev.corral.cli;

import dev.corral.sandbox.SandboxName;

import java.util.List;

/** {@code corral stop NAME...}. */
final class StopCommand implements CliCommand {
    @Override
    public String name() {
        return "stop";
    }

    @Override
    public String summary() {
        return "Stop running sandboxes.";
    }

    @Override
    public String usage() {
        return "NAME...";
    }

    @Override
    public List<OptionSpec> options() {
        return List.of();
    }

    @Override
    public int run(ParsedArgs args) {
        var corral = Services.corral();
        for (SandboxName name : NamedCommand.names(name(), args, true)) {
            if (!corral.stop(name)) Notices.print(name + " is not running");
        }
        return 0;
    }
}
