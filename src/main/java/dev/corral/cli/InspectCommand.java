package dev.corral.cli;

import dev.corral.sandbox.SandboxName;
import dev.corral.support.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code corral inspect NAME}: the sandbox as one JSON document. */
@Command(name = "inspect", description = "Show a sandbox as JSON.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        System.out.print(Json.writePretty(Services.corral().inspect(new SandboxName(name)).toJson()));
        return 0;
    }
}
