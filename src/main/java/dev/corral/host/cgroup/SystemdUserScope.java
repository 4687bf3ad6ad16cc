package dev.corral.host.cgroup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A transient systemd scope of the user manager: the launcher runs the sandbox through
 * {@code systemd-run --user --scope}, and systemd creates the cgroup and enforces the limits.
 */
final class SystemdUserScope implements Confinement {

    private final CgroupOs os;
    private final String unit;
    private final List<String> commandPrefix;
    private final List<Path> possibleCgroups;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param possibleCgroups where the scope's cgroup may be (systemd puts scopes in app.slice or
     *                        directly under the manager, depending on its version)
     */
    SystemdUserScope(CgroupOs os, String unit, List<String> commandPrefix, List<Path> possibleCgroups) {
        this.os = os;
        this.unit = unit;
        this.commandPrefix = List.copyOf(commandPrefix);
        this.possibleCgroups = List.copyOf(possibleCgroups);
    }

    static String unitName(String instanceName) {
        return "corral-" + instanceName + ".scope";
    }

    static List<String> commandPrefix(String unit, CgroupLimits limits) {
        List<String> argv = new ArrayList<>(List.of("systemd-run", "--user", "--scope", "--quiet", "--collect", "--unit", unit));
        limits.memoryBytes().ifPresent(bytes -> {
            argv.addAll(List.of("-p", "MemoryMax=" + bytes));
            argv.addAll(List.of("-p", "MemorySwapMax=0"));
        });
        limits.pids().ifPresent(pids -> argv.addAll(List.of("-p", "TasksMax=" + pids)));
        limits.cpus().ifPresent(cpus -> argv.addAll(List.of("-p", "CPUQuota=" + Math.max(1, Math.round(cpus * 100)) + "%")));
        argv.add("--");
        return List.copyOf(argv);
    }

    String unit() {
        return unit;
    }

    @Override
    public List<Path> procsFiles() {
        return List.of();
    }

    @Override
    public List<String> commandPrefix() {
        return commandPrefix;
    }

    /** Best effort: systemd removes the scope's cgroup soon after its last process exits. */
    @Override
    public LimitEvents events() {
        for (Path cgroup : possibleCgroups) {
            if (os.exists(cgroup)) {
                return new LimitEvents(ControlFiles.counter(os, Optional.of(cgroup.resolve("memory.events")), "oom_kill"),
                        ControlFiles.counter(os, Optional.of(cgroup.resolve("pids.events")), "max"));
            }
        }
        return LimitEvents.NONE;
    }

    @Override
    public void killAll() {
        os.run(List.of("systemctl", "--user", "kill", "--signal=SIGKILL", unit));
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        try {
            killAll();
            os.run(List.of("systemctl", "--user", "stop", unit));
        } catch (RuntimeException e) {
            // best effort: close never throws
        }
    }

    @Override
    public boolean enforced() {
        return true;
    }
}
