package dev.corral.cli;

import dev.corral.sandbox.SandboxName;

import java.util.List;

/** Commands that take sandbox names and nothing else. */
final class NamedCommand {
    private NamedCommand() {
    }

    static List<SandboxName> names(String command, ParsedArgs args, boolean many) {
        List<String> names = args.positionals();
        if (names.isEmpty()) throw new UsageException(command, "missing the sandbox NAME");
        if (!many && names.size() > 1) throw new UsageException(command, "expected one NAME, got " + names);
        if (!args.afterDashes().isEmpty()) throw new UsageException(command, "unexpected arguments after --");
        return names.stream().map(SandboxName::new).toList();
    }
}
