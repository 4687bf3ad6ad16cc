package dev.corral.backend.linux;

import dev.corral.host.cgroup.CgroupException;
import dev.corral.host.cgroup.CgroupLimits;
import dev.corral.host.cgroup.Cgroups;
import dev.corral.host.cgroup.Confinement;
import dev.corral.policy.Sizes;
import dev.corral.sandbox.Backend;
import dev.corral.sandbox.Limits;
import dev.corral.sandbox.SandboxSpec;

import java.util.OptionalLong;

/**
 * The limits a launch enforces: what the user asked for, which must be enforced or the launch
 * fails, plus defaults (a process cap against fork bombs, a /tmp size) that apply wherever the
 * host lets Corral manage cgroups.
 */
record EffectiveLimits(Limits requested, long tmpBytes) {
    static final long DEFAULT_PIDS = 4096;
    static final long DEFAULT_TMP = 1L << 30;

    static EffectiveLimits of(Limits requested) {
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
    Confinement confine(Cgroups cgroups, SandboxSpec spec, Backend.Listener listener) {
        try {
            return cgroups.prepare(spec.name().value(), withDefaults());
        } catch (CgroupException e) {
            if (explicit().isEmpty()) return Confinement.none();
            return cgroups.prepare(spec.name().value(), explicit());
        }
    }

    void report(Confinement.LimitEvents events, Backend.Listener listener) {
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
