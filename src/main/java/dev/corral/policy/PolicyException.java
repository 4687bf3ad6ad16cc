package dev.corral.policy;

import dev.corral.CorralException;

/** The user asked for something invalid: a malformed size, a missing workspace, an odd name. */
public class PolicyException extends CorralException {
    public PolicyException(String message, String fix) {
        super(message, fix);
    }
}
