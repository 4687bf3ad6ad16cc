package dev.corral.host.cgroup;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Describes what the strategies can do on this host, and explains what they can't. */
final class CgroupProbe {

    private CgroupProbe() { }

    static CgroupSupport describe(CgroupLayout layout, List<CgroupStrategy> strategies, CgroupOs os) {
        Optional<CgroupStrategy> chosen = strategies.stream().filter(CgroupStrategy::usable).findFirst();
        Set<Controller> available = available(layout, os);
        Set<Controller> usable = chosen.map(CgroupStrategy::controllers).orElse(Set.of());
        List<CgroupSupport.ControllerSupport> controllers = new ArrayList<>();
        for (Controller c : Controller.values()) {
            controllers.add(new CgroupSupport.ControllerSupport(c.kernelName(), available.contains(c), usable.contains(c)));
        }
        Set<Controller> all = EnumSet.allOf(Controller.class);
        Optional<CgroupException> problem = Controller.missing(all, usable).isEmpty()
                ? Optional.empty() : Optional.of(refusal(strategies, all));
        return new CgroupSupport(layout.version(), controllers,
                chosen.map(CgroupStrategy::id).orElse(CgroupSupport.NONE),
                problem.map(CgroupException::getMessage), problem.flatMap(CgroupException::fix));
    }

    /**
     * Why these controllers can't be enforced, told by the strategy that explains it best: one this
     * user can use (then it lacks some controllers), else the last one made for this kind of host.
     */
    static CgroupException refusal(List<CgroupStrategy> strategies, Set<Controller> needed) {
        Optional<CgroupStrategy> explaining = strategies.stream().filter(CgroupStrategy::usable).findFirst()
                .or(() -> strategies.stream().filter(CgroupStrategy::fitsHost).reduce((first, second) -> second));
        if (explaining.isEmpty()) {
            return new CgroupException("cannot enforce " + Controller.flags(needed) + ": no cgroup filesystem is mounted",
                    "mount cgroup2 at /sys/fs/cgroup");
        }
        Set<Controller> missing = Controller.missing(needed, explaining.get().controllers());
        CgroupStrategy.Refusal refusal = explaining.get().refusal(missing);
        return new CgroupException("cannot enforce " + Controller.flags(missing) + ": " + refusal.cause(), refusal.fix());
    }

    /** Controllers the host has, in the unified hierarchy or in a v1 hierarchy of their own. */
    private static Set<Controller> available(CgroupLayout layout, CgroupOs os) {
        Set<Controller> available = EnumSet.noneOf(Controller.class);
        available.addAll(layout.v1().keySet());
        layout.unified().ifPresent(mount -> available.addAll(
                Controller.listedIn(ControlFiles.readOrEmpty(os, mount.path().resolve("cgroup.controllers")))));
        return available;
    }
}
