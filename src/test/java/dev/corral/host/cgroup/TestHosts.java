package dev.corral.host.cgroup;

import java.nio.file.Path;
import java.util.Map;

/** /proc contents of the kinds of host the cgroup layer meets. */
final class TestHosts {

    private TestHosts() { }

    /** The development machine: memory, pids and cpu in cgroup v1, an empty unified hierarchy beside them. */
    static final String HYBRID_MOUNTINFO = """
            30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
            32 30 0:29 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
            34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            38 30 0:35 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
            39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
            40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            """;

    static final String HYBRID_SELF_CGROUP = """
            9:name=systemd:/
            8:pids:/
            4:memory:/process_api/7371e0b4cea9c5df7c408054e6f343d9
            1:cpu:/
            0::/
            """;

    static final String V2_MOUNTINFO = """
            22 1 259:1 / / rw,relatime shared:1 - ext4 /dev/root rw
            30 22 0:27 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate
            """;

    static final String V2_READ_ONLY_MOUNTINFO = """
            30 22 0:27 / /sys/fs/cgroup ro,nosuid,nodev,noexec,relatime - cgroup2 cgroup ro,nsdelegate
            """;

    static final String DESKTOP_SELF_CGROUP =
            "0::/user.slice/user-1000.slice/user@1000.service/app.slice/app-org.gnome.Terminal.slice/vte-spawn-1.scope\n";

    static HostFacts facts(Path root, String mountinfo, String selfCgroup, int euid) {
        return facts(root, mountinfo, selfCgroup, euid, Map.of());
    }

    static HostFacts facts(Path root, String mountinfo, String selfCgroup, int euid, Map<String, String> env) {
        return new HostFacts(root, selfCgroup, mountinfo, euid, env);
    }

    /** The fake tree of the hybrid machine, with the given controllers mounted in v1. */
    static FakeCgroupOs hybridTree(Path root) throws java.io.IOException {
        return new FakeCgroupOs()
                .v1Hierarchy(root.resolve("memory"), Controller.MEMORY)
                .v1Hierarchy(root.resolve("pids"), Controller.PIDS)
                .v1Hierarchy(root.resolve("cpu"), Controller.CPU)
                .v1Hierarchy(root.resolve("cpuacct"))
                .v2Hierarchy(root.resolve("unified"), "hugetlb");
    }
}
