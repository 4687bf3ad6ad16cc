package dev.corral.backend.docker.engine;

import dev.corral.CorralException;

/** The container engine could not be reached, refused a request, or lacks what the request needs. */
public class EngineException extends CorralException {
    /** The engine's HTTP status, or 0 when no answer came. */
    private final int status;

    public EngineException(String message, String fix) {
        this(message, fix, 0, null);
    }

    public EngineException(String message, String fix, int status, Throwable cause) {
        super(message, fix, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public boolean isNotFound() {
        return status == 404;
    }
}
