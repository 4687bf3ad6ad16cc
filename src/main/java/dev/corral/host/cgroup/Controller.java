package dev.corral.host.cgroup;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The cgroup controllers Corral limits, each named as the kernel names it and as the user asks for it. */
enum Controller {
    MEMORY("memory", "--memory"),
    PIDS("pids", "--pids"),
    CPU("cpu", "--cpus");

    private final String kernelName;
    private final String flag;

    Controller(String kernelName, String flag) {
        this.kernelName = kernelName;
        this.flag = flag;
    }

    String kernelName() {
        return kernelName;
    }

    /** The controllers these limits need. */
    static Set<Controller> neededFor(CgroupLimits limits) {
        Set<Controller> needed = EnumSet.noneOf(Controller.class);
        if (limits.memoryBytes().isPresent()) needed.add(MEMORY);
        if (limits.pids().isPresent()) needed.add(PIDS);
        if (limits.cpus().isPresent()) needed.add(CPU);
        return needed;
    }

    static Optional<Controller> named(String kernelName) {
        for (Controller c : values()) {
            if (c.kernelName.equals(kernelName)) return Optional.of(c);
        }
        return Optional.empty();
    }

    /** The controllers listed in a cgroup.controllers or cgroup.subtree_control file. */
    static Set<Controller> listedIn(String content) {
        Set<Controller> listed = EnumSet.noneOf(Controller.class);
        for (String word : content.trim().split("\\s+")) {
            named(word.startsWith("+") ? word.substring(1) : word).ifPresent(listed::add);
        }
        return listed;
    }

    /** "--memory, --pids" */
    static String flags(Set<Controller> controllers) {
        return controllers.stream().map(c -> c.flag).collect(Collectors.joining(", "));
    }

    /** "memory pids" */
    static String names(Set<Controller> controllers) {
        if (controllers.isEmpty()) return "none";
        return controllers.stream().map(c -> c.kernelName).collect(Collectors.joining(" "));
    }

    static Set<Controller> missing(Set<Controller> needed, Set<Controller> offered) {
        Set<Controller> missing = EnumSet.noneOf(Controller.class);
        missing.addAll(needed);
        missing.removeAll(offered);
        return missing;
    }
}
