package dev.corral.host.cgroup;

/**
 * Puts sandboxes in cgroups. The strategy is chosen per call, first that works:
 * the cgroup v2 hierarchy (as root, or in a delegated subtree), the cgroup v1 hierarchies (as
 * root), a systemd user scope (unprivileged, cgroup v2), and otherwise no cgroup at all — which is
 * only accepted when no limit was asked for.
 */
public interface Cgroups {

    /**
     * Creates the cgroup for one run of a sandbox, with these limits.
     *
     * @param sandboxName a validated sandbox name ({@code [a-z0-9][a-z0-9_.-]*})
     * @return {@link Confinement#none()} only when {@code limits} is empty and this host offers no cgroup
     * @throws CgroupException when a requested limit can't be enforced here, or the cgroup can't be set up
     */
    Confinement prepare(String sandboxName, CgroupLimits limits) throws CgroupException;

    /** What this host and user can do, for {@code corral doctor}. Changes nothing. */
    CgroupSupport probe();

    /** The cgroups of this host, as this process sees them. */
    static Cgroups forHost() {
        return new HostCgroups(HostFacts.ofThisProcess(), new LinuxCgroupOs());
    }
}
