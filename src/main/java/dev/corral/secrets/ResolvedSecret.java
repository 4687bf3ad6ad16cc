package dev.corral.secrets;

import java.util.Objects;

/**
 * A secret with its real value, for the supervisor's proxy: it swaps {@code entry.placeholder()}
 * for {@code value} in requests to {@code entry.hosts()} only. {@link #toString()} leaves the
 * value out, so a stray log line or exception message can't carry it.
 */
public record ResolvedSecret(SecretEntry entry, String value) {
    public ResolvedSecret {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return "ResolvedSecret[entry=" + entry + ", value=(hidden)]";
    }
}
