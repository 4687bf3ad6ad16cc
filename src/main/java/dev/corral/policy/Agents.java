package dev.corral.policy;

import java.util.List;

/** The agent names of the command-line contract; {@code shell} is the default. */
public final class Agents {
    public static final String SHELL = "shell";
    public static final List<String> KNOWN = List.of("claude", "codex", "gemini", "opencode", "copilot", "kiro", "aider", SHELL);
    /** Agents this version can start. */
    public static final List<String> AVAILABLE = List.of(SHELL);

    private Agents() {
    }

    public static String validate(String agent) {
        if (AVAILABLE.contains(agent)) return agent;
        if (KNOWN.contains(agent)) {
            throw new PolicyException("agent '" + agent + "' is not available in this version of Corral",
                    "run it through the shell sandbox: corral run -- " + agent);
        }
        throw new PolicyException("unknown agent '" + agent + "'",
                "use one of " + String.join(", ", KNOWN) + ", or give a command after --: corral run -- CMD");
    }
}
