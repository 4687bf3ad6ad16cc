package dev.corral.policy;

import dev.corral.sandbox.Limits;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Describes limits for people: {@code memory 512 MiB -> 1 GiB}. */
public final class LimitsText {
    private LimitsText() {
    }

    public static String describeChange(Limits before, Limits after) {
        List<String> parts = new ArrayList<>();
        if (!before.memoryBytes().equals(after.memoryBytes())) {
            parts.add("memory " + memory(before) + " -> " + memory(after));
        }
        if (!before.cpus().equals(after.cpus())) parts.add("cpus " + cpus(before) + " -> " + cpus(after));
        if (!before.pids().equals(after.pids())) parts.add("pids " + pids(before) + " -> " + pids(after));
        return String.join(", ", parts);
    }

    public static String memory(Limits limits) {
        return limits.memoryBytes().isPresent() ? Sizes.format(limits.memoryBytes().getAsLong()) : "default";
    }

    public static String cpus(Limits limits) {
        return limits.cpus().isPresent() ? String.format(Locale.ROOT, "%s", limits.cpus().getAsDouble()) : "default";
    }

    public static String pids(Limits limits) {
        return limits.pids().isPresent() ? Long.toString(limits.pids().getAsLong()) : "default";
    }
}
