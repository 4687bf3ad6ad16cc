package dev.corral.host.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the cgroup layer needs to know about the host and this process, read once.
 *
 * @param cgroupRoot where /sys/fs/cgroup is (a temporary tree in tests); mount points under
 *                   /sys/fs/cgroup in {@code mountinfo} are taken relative to it
 * @param selfCgroup the content of /proc/self/cgroup
 * @param mountinfo  the content of /proc/self/mountinfo
 * @param euid       this process's effective user id, -1 if unknown
 * @param env        the environment (XDG_RUNTIME_DIR, DBUS_SESSION_BUS_ADDRESS)
 */
record HostFacts(Path cgroupRoot, String selfCgroup, String mountinfo, int euid, Map<String, String> env) {

    static final Path SYS_FS_CGROUP = Path.of("/sys/fs/cgroup");

    HostFacts {
        env = Map.copyOf(env);
    }

    static HostFacts ofThisProcess() {
        return new HostFacts(SYS_FS_CGROUP, readOrEmpty("/proc/self/cgroup"), readOrEmpty("/proc/self/mountinfo"),
                effectiveUid(readOrEmpty("/proc/self/status")), System.getenv());
    }

    boolean isRoot() {
        return euid == 0;
    }

    /** The second field of the "Uid:" line of /proc/PID/status (real, effective, saved, filesystem). */
    static int effectiveUid(String status) {
        for (String line : status.split("\n")) {
            if (!line.startsWith("Uid:")) continue;
            String[] ids = line.substring(4).trim().split("\\s+");
            if (ids.length < 2) return -1;
            try {
                return Integer.parseInt(ids[1]);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    private static String readOrEmpty(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            return "";
        }
    }
}
