package dev.corral.it;

import org.junit.jupiter.params.provider.Arguments;

import java.util.stream.Stream;

/**
 * The sandboxes a suite attacks: each invoker on each backend. A parameter source for
 * {@code @MethodSource("dev.corral.it.Targets#all")}; nothing is skipped when an engine is missing
 * (the test run starts one), so a missing engine is a failure, not a pass.
 */
public final class Targets {
    private Targets() {
    }

    public static Stream<Arguments> all() {
        return Stream.of(Invoker.values()).flatMap(invoker -> backends().map(backend -> Arguments.of(invoker, backend)));
    }

    /**
     * Both backends; {@code -Dcorral.it.backends=docker} (or native) narrows a run by hand while
     * working on one of them. The test command never sets it.
     */
    private static Stream<SandboxBackend> backends() {
        String only = System.getProperty("corral.it.backends", "");
        return Stream.of(SandboxBackend.values()).filter(b -> only.isBlank() || only.equalsIgnoreCase(b.name()));
    }
}
