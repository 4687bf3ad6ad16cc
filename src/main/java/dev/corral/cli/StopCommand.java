package dev.corral.cli;

import dev.corral.sandbox.SandboxName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code corral stop NAME...}. */
@Command(name = "stop", description = "Stop running sandboxes.")
final class StopCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", arity = "1..*")
    List<String> names;

    @Override
    public Integer call() {
        var corral = Services.corral();
        for (String name : names) {
            if (!corral.stop(new SandboxName(name))) Notices.print(name + " is not running");
        }
        return 0;
    }
}
