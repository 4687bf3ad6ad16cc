package dev.corral;

import java.util.Optional;

/**
 * The root of Corral's own failures: each carries a one-line cause and, where there is one, the fix
 * the user should apply. The CLI prints them as one line and exits 125.
 */
public class CorralException extends RuntimeException {
    private final String fix;

    public CorralException(String message) {
        this(message, null);
    }

    public CorralException(String message, String fix) {
        super(message);
        this.fix = fix;
    }

    public CorralException(String message, String fix, Throwable cause) {
        super(message, cause);
        this.fix = fix;
    }

    public Optional<String> fix() {
        return Optional.ofNullable(fix);
    }
}
