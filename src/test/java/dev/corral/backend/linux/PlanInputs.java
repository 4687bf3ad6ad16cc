package dev.corral.backend.linux;

import dev.corral.backend.linux.Protection.Kind;
import dev.corral.host.Identity;
import dev.corral.sandbox.Limits;
import dev.corral.sandbox.SandboxName;
import dev.corral.sandbox.SandboxSpec;
import dev.corral.sandbox.Volume;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Hand-made planner inputs: a fixed host, nothing read from this machine. */
final class PlanInputs {
    static final Identity ALICE = new Identity(1000, 1000, "alice", Path.of("/home/alice"));
    static final Path WORKSPACE = Path.of("/home/alice/src/project");
    static final Path SANDBOX_HOME = Path.of("/home/alice/.local/share/corral/sandboxes/shell-project/home");
    static final byte[] SECCOMP = {1, 2, 3, 4};

    static final HostLayout LAYOUT = new HostLayout(
            List.of(new HostLayout.SystemEntry(Path.of("/usr"), Optional.empty()),
                    new HostLayout.SystemEntry(Path.of("/bin"), Optional.of(Path.of("usr/bin"))),
                    new HostLayout.SystemEntry(Path.of("/lib"), Optional.of(Path.of("usr/lib"))),
                    new HostLayout.SystemEntry(Path.of("/lib64"), Optional.of(Path.of("usr/lib64"))),
                    new HostLayout.SystemEntry(Path.of("/etc"), Optional.empty())),
            List.of(Path.of("/etc/shadow"), Path.of("/etc/gshadow"), Path.of("/etc/ssh/ssh_host_ed25519_key")),
            List.of(Path.of("/etc/ssl/private")),
            List.of(Path.of("/proc/kcore"), Path.of("/proc/sysrq-trigger")),
            List.of(Path.of("/proc/sys"), Path.of("/proc/irq")),
            Optional.of(Path.of("/usr/bin/setsid")), Optional.of(Path.of("/usr/bin/socat")));

    static final List<Protection> GIT_PROTECTIONS = List.of(
            new Protection(WORKSPACE.resolve(".git/hooks"), Kind.READ_ONLY),
            new Protection(WORKSPACE.resolve(".git"), Kind.PINNED),
            new Protection(WORKSPACE.resolve(".git/config"), Kind.READ_ONLY),
            new Protection(WORKSPACE.resolve(".vscode"), Kind.READ_ONLY));

    private PlanInputs() {
    }

    static SandboxSpec spec(List<Volume> volumes) {
        return new SandboxSpec(new SandboxName("shell-project"), "shell", WORKSPACE, Map.of("FROM_E", "1"), volumes,
                Limits.NONE, "native");
    }

    static PlanInput basic() {
        return new PlanInput(
                spec(List.of(new Volume(Path.of("/data/cache"), Path.of("/cache"), false),
                        new Volume(Path.of("/data/models"), Path.of("/models"), true))),
                ALICE, SANDBOX_HOME, LAYOUT, GIT_PROTECTIONS,
                Map.of("TERM", "xterm", "HOME", "/home/alice", "PATH", "/usr/bin:/bin", "CORRAL_SANDBOX", "shell-project", "FROM_E", "1"),
                List.of("/bin/sh", "-c", "echo hello"), false, 512L << 20, SECCOMP, Optional.empty(), Optional.empty());
    }

    static PlanInput with(PlanInput in, List<Protection> protections, boolean ownTerminal, HostLayout layout) {
        return new PlanInput(in.spec(), in.identity(), in.home(), layout, protections, in.environment(), in.command(),
                ownTerminal, in.tmpBytes(), in.seccomp(), in.devices(), in.network(), in.agentMounts());
    }

    static PlanInput withAgentMounts(PlanInput in, List<Volume> agentMounts) {
        return new PlanInput(in.spec(), in.identity(), in.home(), in.layout(), in.protections(), in.environment(), in.command(),
                in.ownTerminal(), in.tmpBytes(), in.seccomp(), in.devices(), in.network(), agentMounts);
    }
}
