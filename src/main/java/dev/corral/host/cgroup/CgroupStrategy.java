package dev.corral.host.cgroup;

import java.util.Set;

/**
 * One way of putting a sandbox in a cgroup, as it looks on this host: whether it fits the host,
 * whether this user can use it, and which controllers it can enforce.
 */
interface CgroupStrategy {

    /** "cgroupfs-v2", "cgroupfs-v1", "systemd-user-scope". */
    String id();

    /** Whether this kind of host is the kind this strategy is for (its refusal is then the one to show). */
    boolean fitsHost();

    /** Whether this user can create cgroups with it. */
    boolean usable();

    /** The controllers it can enforce; empty when it is not usable. */
    Set<Controller> controllers();

    /** Why it cannot enforce these controllers (or anything, when it is not usable) and what to do. */
    Refusal refusal(Set<Controller> missing);

    /** Creates the cgroup for one sandbox run; only called when usable and the controllers suffice. */
    Confinement create(String instanceName, CgroupLimits limits) throws CgroupException;

    /** A one-line cause and a fix. */
    record Refusal(String cause, String fix) { }
}
