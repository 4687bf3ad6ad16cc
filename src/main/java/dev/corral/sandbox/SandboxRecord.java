package dev.corral.sandbox;

import java.time.Instant;
import java.util.Optional;

/** A sandbox as stored on disk: its settings, when it was created and when it last started. */
public record SandboxRecord(SandboxSpec spec, Instant created, Optional<Instant> lastStarted) {
    public SandboxRecord withSpec(SandboxSpec value) {
        return new SandboxRecord(value, created, lastStarted);
    }

    public SandboxRecord startedAt(Instant when) {
        return new SandboxRecord(spec, created, Optional.of(when));
    }
}
