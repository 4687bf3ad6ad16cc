package dev.corral.agents;

import dev.corral.CorralException;

/** An agent can't be started: an unknown name, a broken profile, an install that failed. */
public class AgentException extends CorralException {
    public AgentException(String message, String fix) {
        super(message, fix);
    }

    public AgentException(String message, String fix, Throwable cause) {
        super(message, fix, cause);
    }
}
