package dev.corral.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

import java.util.concurrent.Callable;

/** {@code corral version}. */
@Command(name = "version", description = "Print Corral's version.")
final class VersionCommand implements Callable<Integer> {

    static String version() {
        String v = VersionCommand.class.getPackage().getImplementationVersion();
        return "corral " + (v == null ? "dev" : v);
    }

    @Override
    public Integer call() {
        System.out.println(version());
        return 0;
    }

    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{version()};
        }
    }
}
