package dev.corral.sandbox;

import java.util.Optional;

/**
 * What a sandbox on the Docker backend runs on: an image the engine has instead of Corral's own,
 * and an OCI runtime instead of the engine's default (gVisor's {@code runsc}, {@code kata-runtime}).
 */
public record ContainerSettings(Optional<String> image, Optional<String> runtime) {
    public static final ContainerSettings NONE = new ContainerSettings(Optional.empty(), Optional.empty());

    public ContainerSettings {
        java.util.Objects.requireNonNull(image, "image");
        java.util.Objects.requireNonNull(runtime, "runtime");
    }

    /** Each setting of {@code overrides} that is set replaces this one's. */
    public ContainerSettings overriddenBy(ContainerSettings overrides) {
        return new ContainerSettings(overrides.image.isPresent() ? overrides.image : image,
                overrides.runtime.isPresent() ? overrides.runtime : runtime);
    }

    public boolean isEmpty() {
        return image.isEmpty() && runtime.isEmpty();
    }
}
