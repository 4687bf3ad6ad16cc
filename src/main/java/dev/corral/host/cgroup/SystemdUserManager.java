package dev.corral.host.cgroup;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The systemd user manager of an unprivileged user on a cgroup v2 host: it creates a transient
 * scope with the limits ({@code systemd-run --user --scope}), in the subtree systemd delegated to it.
 */
final class SystemdUserManager implements CgroupStrategy {

    private final CgroupOs os;
    private final boolean fitsHost;
    private final Optional<Path> managerCgroup;
    private final Set<Controller> controllers;
    private final Refusal unusable;

    private SystemdUserManager(CgroupOs os, boolean fitsHost, Optional<Path> managerCgroup, Set<Controller> controllers,
                               Refusal unusable) {
        this.os = os;
        this.fitsHost = fitsHost;
        this.managerCgroup = managerCgroup;
        this.controllers = controllers;
        this.unusable = unusable;
    }

    static SystemdUserManager on(CgroupLayout layout, HostFacts facts, CgroupOs os) {
        boolean fitsHost = !facts.isRoot() && layout.version().equals("v2");
        if (!fitsHost) {
            return unusable(os, false, "systemd user scopes need an unprivileged user on a cgroup v2 host",
                    "run as root, or use a cgroup v2 host with systemd user delegation");
        }
        if (!os.hasCommand("systemd-run")) {
            return unusable(os, true, "systemd-run is not installed", "install systemd, or run as root");
        }
        if (!userManagerReachable(facts, os)) {
            return unusable(os, true, "no systemd user manager is running for this user (no $XDG_RUNTIME_DIR/systemd/private)",
                    "log in through a systemd session (or: loginctl enable-linger $USER), or run as root");
        }
        Path unified = layout.unified().orElseThrow().path();
        Path manager = managerCgroup(unified, layout.ownUnifiedPath(), facts.euid());
        if (!os.exists(manager)) {
            return unusable(os, true, "the systemd user manager's cgroup " + manager + " does not exist",
                    "log in through a systemd session (or: loginctl enable-linger $USER), or run as root");
        }
        Set<Controller> delegated = Controller.listedIn(ControlFiles.readOrEmpty(os, manager.resolve("cgroup.controllers")));
        return new SystemdUserManager(os, true, Optional.of(manager), delegated, null);
    }

    private static SystemdUserManager unusable(CgroupOs os, boolean fitsHost, String cause, String fix) {
        return new SystemdUserManager(os, fitsHost, Optional.empty(), EnumSet.noneOf(Controller.class), new Refusal(cause, fix));
    }

    private static boolean userManagerReachable(HostFacts facts, CgroupOs os) {
        String runtimeDir = facts.env().get("XDG_RUNTIME_DIR");
        if (runtimeDir != null && runtimeDir.startsWith("/")) {
            Path runtime = Path.of(runtimeDir);
            if (os.exists(runtime.resolve("systemd/private")) || os.exists(runtime.resolve("bus"))) return true;
        }
        return facts.env().containsKey("DBUS_SESSION_BUS_ADDRESS");
    }

    /** user@UID.service: found on this process's own cgroup path, or where systemd puts it. */
    static Path managerCgroup(Path unified, Optional<String> ownPath, int euid) {
        String service = "user@" + euid + ".service";
        if (ownPath.isPresent()) {
            List<String> parts = List.of(ownPath.get().split("/"));
            int at = parts.indexOf(service);
            if (at >= 0) return unified.resolve(String.join("/", parts.subList(0, at + 1)));
        }
        return unified.resolve("user.slice").resolve("user-" + euid + ".slice").resolve(service);
    }

    @Override
    public String id() {
        return "systemd-user-scope";
    }

    @Override
    public boolean fitsHost() {
        return fitsHost;
    }

    @Override
    public boolean usable() {
        return managerCgroup.isPresent();
    }

    @Override
    public Set<Controller> controllers() {
        return controllers;
    }

    @Override
    public Refusal refusal(Set<Controller> missing) {
        if (managerCgroup.isEmpty()) return unusable;
        return new Refusal("systemd does not delegate the " + Controller.names(missing) + " controller to "
                + managerCgroup.get().getFileName() + " (it has " + Controller.names(controllers) + ")",
                "as root: systemctl edit user@.service, add [Service] Delegate=memory pids cpu, then log in again; or drop "
                        + Controller.flags(missing));
    }

    @Override
    public Confinement create(String instanceName, CgroupLimits limits) {
        String unit = SystemdUserScope.unitName(instanceName);
        Path manager = managerCgroup.orElseThrow();
        return new SystemdUserScope(os, unit, SystemdUserScope.commandPrefix(unit, limits),
                List.of(manager.resolve("app.slice").resolve(unit), manager.resolve(unit)));
    }
}
