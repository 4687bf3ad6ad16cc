package dev.corral.host.cgroup;

import java.util.List;
import java.util.Set;

/** {@link Cgroups} over a host described by {@link HostFacts}, reached through {@link CgroupOs}. */
final class HostCgroups implements Cgroups {

    private final HostFacts facts;
    private final CgroupOs os;

    HostCgroups(HostFacts facts, CgroupOs os) {
        this.facts = facts;
        this.os = os;
    }

    @Override
    public Confinement prepare(String sandboxName, CgroupLimits limits) throws CgroupException {
        String instanceName = CgroupNames.instance(sandboxName);
        Set<Controller> needed = Controller.neededFor(limits);
        List<CgroupStrategy> strategies = strategies();
        for (CgroupStrategy strategy : strategies) {
            if (strategy.usable() && strategy.controllers().containsAll(needed)) {
                return strategy.create(instanceName, limits);
            }
        }
        if (limits.isEmpty()) return Confinement.none();
        throw CgroupProbe.refusal(strategies, needed);
    }

    @Override
    public CgroupSupport probe() {
        CgroupLayout layout = CgroupLayout.of(facts);
        return CgroupProbe.describe(layout, strategies(layout), os);
    }

    /** In order of preference; looked at afresh on every call, since cgroups change under us. */
    private List<CgroupStrategy> strategies() {
        return strategies(CgroupLayout.of(facts));
    }

    private List<CgroupStrategy> strategies(CgroupLayout layout) {
        return List.of(CgroupV2Hierarchy.on(layout, facts, os), CgroupV1Hierarchies.on(layout, facts, os),
                SystemdUserManager.on(layout, facts, os));
    }
}
