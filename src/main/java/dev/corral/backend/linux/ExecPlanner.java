package dev.corral.backend.linux;

import dev.corral.host.Identity;
import dev.corral.sandbox.SandboxSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Plans {@code corral exec}: enter every namespace of the running sandbox's init (user first, so
 * an ordinary user may enter the rest), then start a nested bubblewrap that keeps the sandbox's
 * exact filesystem view ({@code --dev-bind / /} inside its mount namespace), drops every
 * capability the namespace entry gave, and applies the same seccomp program and environment.
 */
final class ExecPlanner {
    private ExecPlanner() {
    }

    /**
     * The nsenter prefix that joins the namespaces of {@code initPid}: first the user namespace
     * that owns them ({@code userNamespace}, a path nsenter can open), then the others.
     */
    static List<String> enter(Path nsenter, long initPid, String userNamespace, Path workspace) {
        // --wd: never carry a working folder of the host's into the sandbox's mount namespace
        return new ArrayList<>(List.of(nsenter.toString(), "--target", Long.toString(initPid),
                "--user=" + userNamespace, "--mount", "--net", "--ipc", "--uts", "--pid", "--cgroup",
                "--wd=" + workspace, "--preserve-credentials", "--"));
    }

    static List<String> options(SandboxSpec spec, Identity identity, Map<String, String> environment) {
        List<String> args = new ArrayList<>(List.of(
                "--unshare-user", "--uid", Long.toString(identity.uid()), "--gid", Long.toString(identity.gid()),
                "--dev-bind", "/", "/",
                "--die-with-parent", "--cap-drop", "ALL",
                "--json-status-fd", Integer.toString(LaunchPlan.STATUS_FD),
                "--seccomp", Integer.toString(LaunchPlan.SECCOMP_FD),
                "--clearenv"));
        new TreeMap<>(environment).forEach((key, value) -> args.addAll(List.of("--setenv", key, value)));
        args.addAll(List.of("--chdir", spec.workspace().toString()));
        return args;
    }
}
