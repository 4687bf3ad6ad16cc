package dev.corral.backend.linux;

import dev.corral.host.Executables;
import dev.corral.host.Identity;
import dev.corral.host.cgroup.CgroupException;
import dev.corral.host.cgroup.CgroupLimits;
import dev.corral.host.cgroup.Cgroups;
import dev.corral.host.cgroup.Confinement;
import dev.corral.policy.Sizes;
import dev.corral.sandbox.Backend;
import dev.corral.sandbox.Limits;
import dev.corral.sandbox.SandboxSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The limits a launch enforces: what the user asked for, which must be enforced or the launch
 * fails, plus defaults (a process cap against fork bombs, a /tmp size) that apply wherever the
 * host lets Corral manage cgroups.
 */
public record EffectiveLimits(Limits requested, long tmpBytes) {
    public static final long DEFAULT_PIDS = 4096;
    public static final long DEFAULT_TMP = 1L << 30;

    public static EffectiveLimits of(Limits requested) {
        long tmp = requested.tmpBytes().orElse(DEFAULT_TMP);
        if (requested.memoryBytes().isPresent()) tmp = Math.min(tmp, Math.max(1L << 20, requested.memoryBytes().getAsLong() / 2));
        return new EffectiveLimits(requested, tmp);
    }

    CgroupLimits explicit() {
        return new CgroupLimits(requested.memoryBytes(), requested.cpus(), requested.pids());
    }

    CgroupLimits withDefaults() {
        OptionalLong pids = requested.pids().isPresent() ? requested.pids() : OptionalLong.of(DEFAULT_PIDS);
        return new CgroupLimits(requested.memoryBytes(), requested.cpus(), pids);
    }

    /** A cgroup with the limits; fails if an explicitly requested limit can't be enforced. */
    Confinement confine(Cgroups cgroups, SandboxSpec spec) {
        try {
            return cgroups.prepare(spec.name().value(), withDefaults());
        } catch (CgroupException e) {
            if (explicit().isEmpty()) return Confinement.none();
            return cgroups.prepare(spec.name().value(), explicit());
        }
    }

    /**
     * What goes in front of bubblewrap: the cgroup's own prefix; or, with no cgroup at all, a cap on
     * the user's process count (RLIMIT_NPROC) so that a fork bomb still stops — the user's tasks
     * outside count against it too, so it is the default cap plus what they run now.
     */
    List<String> launchPrefix(Confinement confinement, Identity identity, java.util.function.LongSupplier userTasks) {
        if (confinement.enforced() || identity.isRoot()) return confinement.commandPrefix();
        Optional<Path> prlimit = Executables.find("prlimit");
        if (prlimit.isEmpty()) return confinement.commandPrefix();
        long cap = DEFAULT_PIDS + userTasks.getAsLong();
        return List.of(prlimit.get().toString(), "--nproc=" + cap + ":" + cap, "--");
    }

    public void report(Confinement.LimitEvents events, Backend.Listener listener) {
        if (events.oomKills() > 0) {
            String limit = requested.memoryBytes().isPresent() ? Sizes.format(requested.memoryBytes().getAsLong()) : "the default";
            listener.notice("the sandbox ran out of memory (limit " + limit + ") and the kernel killed a process in it; raise it with --memory");
        }
        if (events.pidsLimitHits() > 0) {
            listener.notice("the sandbox hit its process limit (" + withDefaults().pids().getAsLong()
                    + " processes); raise it with --pids");
        }
    }
}
