package dev.corral.sandbox;

import dev.corral.CorralException;

/** A sandbox could not be created, found, started or changed. */
public class SandboxException extends CorralException {
    public SandboxException(String message) {
        super(message);
    }

    public SandboxException(String message, String fix) {
        super(message, fix);
    }

    public SandboxException(String message, String fix, Throwable cause) {
        super(message, fix, cause);
    }
}
