package dev.corral.host.cgroup;

import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Names of the cgroups and scopes Corral creates: {@code <sandbox>-<random>}. The sandbox name is
 * checked again here, since it becomes a path component: nothing else ever goes into a path.
 */
final class CgroupNames {

    /** Sandbox names as the caller validates them, short enough for a cgroup and a systemd unit name. */
    private static final Pattern SANDBOX_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,199}");

    /** The directory under every hierarchy (or its delegated subtree) that holds Corral's cgroups. */
    static final String PARENT = "corral";

    private CgroupNames() { }

    /** A fresh name for one run of this sandbox, unique among concurrent runs. */
    static String instance(String sandboxName) {
        if (sandboxName == null || !SANDBOX_NAME.matcher(sandboxName).matches()) {
            throw new IllegalArgumentException("not a valid sandbox name for a cgroup: " + sandboxName);
        }
        byte[] suffix = new byte[4];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(suffix); // unique, not secret
        return sandboxName + "-" + HexFormat.of().formatHex(suffix);
    }
}
