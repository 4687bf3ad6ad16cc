package dev.corral.cli;

import java.util.List;

/**
 * The training run that fills the JDK's AOT cache ({@code -XX:AOTCacheOutput}, run by the
 * launcher in a throwaway home): the paths of a first and a repeated {@code run}, the listing
 * commands, the help and an error, so the classes they load are ready at the next start.
 */
final class Training {
    private Training() {
    }

    static boolean requested() {
        return Boolean.getBoolean("corral.training");
    }

    static int run() {
        for (List<String> args : List.of(
                List.of("run", "--", "/bin/true"),
                List.of("run", "--memory", "512m", "--", "/bin/true"),
                List.of("run", "--", "/bin/sh", "-c", "exit 3"),
                List.of("ls"), List.of("ls", "--json"), List.of("version"), List.of("--help"),
                List.of("run", "--memory", "12x", "--", "/bin/true"),
                List.of("no-such-command"))) {
            Main.execute(args);
        }
        return 0;
    }
}
