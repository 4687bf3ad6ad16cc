package dev.corral.host;

import dev.corral.CorralException;

/** The operating system refused something Corral needs. */
public class HostException extends CorralException {
    public HostException(String message, String fix) {
        super(message, fix);
    }

    public HostException(String message, String fix, Throwable cause) {
        super(message, fix, cause);
    }
}
