package dev.corral.agents;

import dev.corral.policy.HostPattern;
import java.util.List;
import java.util.Map;

/** Hand-made agent profiles for tests: nothing read from a file. */
public final class SampleProfiles {
    private SampleProfiles() {
    }

    /** An agent from the npm registry whose command is its name. */
    public static AgentProfile npm(String name, String pkg) {
        return of(name, AgentProfile.Registry.NPM, pkg);
    }

    /** An agent from the Python Package Index whose command is its name. */
    public static AgentProfile pypi(String name, String pkg) {
        return of(name, AgentProfile.Registry.PYPI, pkg);
    }

    /** An agent the user installs on the host, found on the PATH as {@code command}. */
    public static AgentProfile host(String name, String command) {
        return new AgentProfile(name, name + " from the host", new AgentProfile.Install(AgentProfile.Registry.HOST, ""), command,
                List.of(), Map.of(), List.of(), Map.of(), List.of(), List.of(), AgentProfile.BUILT_IN);
    }

    private static AgentProfile of(String name, AgentProfile.Registry registry, String pkg) {
        return new AgentProfile(name, name + " agent", new AgentProfile.Install(registry, pkg), name, List.of("--auto"), Map.of(),
                List.of(HostPattern.parse("api." + name + ".example.com")), Map.of(), List.of(), List.of(), AgentProfile.BUILT_IN);
    }
}
