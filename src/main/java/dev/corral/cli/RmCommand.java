package dev.corral.cli;

import dev.corral.sandbox.SandboxName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code corral rm [-f] NAME...}: removes sandboxes with their homes. */
@Command(name = "rm", aliases = "remove", description = "Remove sandboxes, their settings and their homes.")
final class RmCommand implements Callable<Integer> {
    @Option(names = {"-f", "--force"}, description = "Stop running sandboxes first.")
    boolean force;

    @Parameters(paramLabel = "NAME", arity = "1..*")
    List<String> names;

    @Override
    public Integer call() {
        var corral = Services.corral();
        List<SandboxName> parsed = names.stream().map(SandboxName::new).toList();
        for (SandboxName name : parsed) corral.remove(name, force);
        return 0;
    }
}
