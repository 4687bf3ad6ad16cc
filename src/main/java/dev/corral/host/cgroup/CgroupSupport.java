package dev.corral.host.cgroup;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the cgroup layer can do on this host, for {@code corral doctor}.
 *
 * @param version     "v2", "hybrid", "v1", or "none"
 * @param controllers memory, pids and cpu: whether the host has each and whether this user can use it
 * @param strategy    {@link #CGROUPFS_V2}, {@link #CGROUPFS_V1}, {@link #SYSTEMD_USER_SCOPE} or {@link #NONE}
 * @param problem     why some or all limits are unavailable; empty when all three can be enforced
 * @param fix         what to do about the problem
 */
public record CgroupSupport(String version, List<ControllerSupport> controllers, String strategy,
                            Optional<String> problem, Optional<String> fix) {

    public static final String CGROUPFS_V2 = "cgroupfs-v2";
    public static final String CGROUPFS_V1 = "cgroupfs-v1";
    public static final String SYSTEMD_USER_SCOPE = "systemd-user-scope";
    public static final String NONE = "none";

    public CgroupSupport {
        Objects.requireNonNull(version);
        Objects.requireNonNull(strategy);
        controllers = List.copyOf(controllers);
    }

    /** One controller: {@code available} on the host, {@code usable} by this user with the chosen strategy. */
    public record ControllerSupport(String name, boolean available, boolean usable) { }

    /** Whether this user can enforce the named limit's controller ("memory", "pids", "cpu"). */
    public boolean canLimit(String controller) {
        return controllers.stream().anyMatch(c -> c.name().equals(controller) && c.usable());
    }
}
