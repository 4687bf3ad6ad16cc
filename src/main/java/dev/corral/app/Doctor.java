package dev.corral.app;

import dev.corral.agents.InstallPlan;
import dev.corral.host.Executables;
import dev.corral.host.HostCommand;
import dev.corral.host.cgroup.CgroupSupport;
import dev.corral.host.cgroup.Cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.time.Duration;

/** Checks each prerequisite of the native backend and says how to fix what is missing. */
public final class Doctor {

    /** One prerequisite: whether it is met, what was found, and the fix when it is not. */
    public record Check(String name, boolean ok, boolean required, String detail, Optional<String> fix) {
    }

    private Doctor() {
    }

    public static List<Check> run() {
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("kernel", true, true, read("/proc/sys/kernel/osrelease").orElse("unknown"), Optional.empty()));
        Optional<Path> bwrap = Executables.find("bwrap");
        checks.add(bwrap.map(p -> new Check("bubblewrap", true, true, output(p.toString(), "--version").orElse(p.toString()), Optional.<String>empty()))
                .orElse(new Check("bubblewrap", false, true, "not installed", Optional.of("sudo apt-get install bubblewrap"))));
        checks.add(userNamespaces(bwrap));
        checks.add(seccomp());
        for (String tool : List.of("setsid", "nsenter")) {
            checks.add(Executables.find(tool).map(p -> new Check(tool, true, true, p.toString(), Optional.<String>empty()))
                    .orElse(new Check(tool, false, true, "not installed", Optional.of("sudo apt-get install util-linux"))));
        }
        checks.add(Executables.find("socat").map(p -> new Check("socat", true, true, p.toString(), Optional.<String>empty()))
                .orElse(new Check("socat", false, true, "not installed (the sandbox reaches its proxy through it)", Optional.of("sudo apt-get install socat"))));
        checks.add(cgroups());
        checks.add(InstallPlan.systemProgram("npm")
                .map(p -> new Check("npm", true, false, p + " (installs npm agents)", Optional.<String>empty()))
                .orElse(new Check("npm", false, false, "not installed (Corral installs claude, codex, gemini, opencode, copilot with it)",
                        Optional.of("sudo apt-get install nodejs npm"))));
        return checks;
    }

    private static Check userNamespaces(Optional<Path> bwrap) {
        Optional<String> max = read("/proc/sys/user/max_user_namespaces");
        if (max.isPresent() && max.get().equals("0")) {
            return new Check("user namespaces", false, true, "disabled (user.max_user_namespaces = 0)",
                    Optional.of("sudo sysctl -w user.max_user_namespaces=15000"));
        }
        if (read("/proc/sys/kernel/apparmor_restrict_unprivileged_userns").filter("1"::equals).isPresent()) {
            return new Check("user namespaces", false, true, "restricted by AppArmor for unprivileged users",
                    Optional.of("allow bwrap an AppArmor profile with 'userns', or sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0"));
        }
        if (bwrap.isEmpty()) return new Check("user namespaces", false, true, "untested (no bubblewrap)", Optional.of("install bubblewrap"));
        boolean works = output(bwrap.get().toString(), "--unshare-user", "--ro-bind", "/", "/", "/bin/true").isPresent();
        return new Check("user namespaces", works, true, works ? "available" : "bubblewrap could not create one",
                works ? Optional.empty() : Optional.of("enable unprivileged user namespaces (kernel.unprivileged_userns_clone=1)"));
    }

    private static Check seccomp() {
        Optional<String> actions = read("/proc/sys/kernel/seccomp/actions_avail");
        boolean ok = actions.map(a -> a.contains("errno")).orElse(false);
        return new Check("seccomp", ok, true, ok ? "filters available" : "not available",
                ok ? Optional.empty() : Optional.of("use a kernel built with CONFIG_SECCOMP_FILTER"));
    }

    private static Check cgroups() {
        CgroupSupport support = Cgroups.forHost().probe();
        StringBuilder detail = new StringBuilder(support.version() + ", strategy " + support.strategy() + ", controllers:");
        for (CgroupSupport.ControllerSupport c : support.controllers()) {
            detail.append(' ').append(c.name()).append(c.usable() ? "" : c.available() ? "(not usable)" : "(missing)");
        }
        boolean ok = support.problem().isEmpty();
        return new Check("cgroups", ok, false, detail + support.problem().map(p -> "; " + p).orElse(""), support.fix());
    }

    private static Optional<String> read(String file) {
        try {
            return Optional.of(Files.readString(Path.of(file)).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> output(String... argv) {
        return HostCommand.run(List.of(argv), Duration.ofSeconds(10)).filter(HostCommand.Output::ok)
                .map(o -> o.stdout().isBlank() ? "ok" : o.stdout().strip());
    }
}
