package dev.corral.sandbox;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Resource limits of a sandbox. Empty means "not set": the backend applies its defaults.
 *
 * @param memoryBytes memory limit in bytes
 * @param cpus        CPU bandwidth in CPUs
 * @param pids        maximum number of processes and threads
 * @param tmpBytes    size of the private /tmp
 */
public record Limits(OptionalLong memoryBytes, OptionalDouble cpus, OptionalLong pids, OptionalLong tmpBytes) {
    public static final Limits NONE = new Limits(OptionalLong.empty(), OptionalDouble.empty(), OptionalLong.empty(), OptionalLong.empty());

    public Limits withMemory(long bytes) {
        return new Limits(OptionalLong.of(bytes), cpus, pids, tmpBytes);
    }

    public Limits withCpus(double n) {
        return new Limits(memoryBytes, OptionalDouble.of(n), pids, tmpBytes);
    }

    public Limits withPids(long n) {
        return new Limits(memoryBytes, cpus, OptionalLong.of(n), tmpBytes);
    }

    public Limits withTmp(long bytes) {
        return new Limits(memoryBytes, cpus, pids, OptionalLong.of(bytes));
    }

    /** Written out: a record's generated equals costs a bootstrap on every start of the CLI. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Limits o && memoryBytes.equals(o.memoryBytes) && cpus.equals(o.cpus)
                && pids.equals(o.pids) && tmpBytes.equals(o.tmpBytes);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(memoryBytes, cpus, pids, tmpBytes);
    }

    /** Each limit of {@code overrides} that is set replaces this one's. */
    public Limits overriddenBy(Limits overrides) {
        return new Limits(
                overrides.memoryBytes.isPresent() ? overrides.memoryBytes : memoryBytes,
                overrides.cpus.isPresent() ? overrides.cpus : cpus,
                overrides.pids.isPresent() ? overrides.pids : pids,
                overrides.tmpBytes.isPresent() ? overrides.tmpBytes : tmpBytes);
    }
}
