package dev.corral.host;

import java.lang.foreign.MemorySegment;

/**
 * Finds the user namespace a sandbox's other namespaces belong to. For an ordinary user
 * bubblewrap nests a second user namespace (to give the sandbox the user's own uid), so the
 * namespace a sandboxed process is in holds no rights over its network, mount or IPC namespaces;
 * the owner of those ({@code NS_GET_USERNS}) is the one {@code exec} must enter.
 */
public final class Namespaces {
    private static final long NS_GET_USERNS = 0xb701;
    private static final int O_RDONLY = 0;

    private Namespaces() {
    }

    /** An open user-namespace descriptor, reachable by other processes through {@link #path()}. */
    public record Handle(int fd) implements AutoCloseable {
        public String path() {
            return "/proc/" + ProcessHandle.current().pid() + "/fd/" + fd;
        }

        @Override
        public void close() {
            Libc.close(fd);
        }
    }

    /** The user namespace owning the network namespace of {@code pid}. */
    public static Handle ownerOfNetworkNamespace(long pid) {
        int ns = Libc.open("/proc/" + pid + "/ns/net", O_RDONLY | Libc.O_CLOEXEC);
        if (ns < 0) throw Libc.failure("cannot open the namespaces of process " + pid, "is the sandbox still running?");
        try {
            int owner = Libc.ioctl(ns, NS_GET_USERNS, MemorySegment.NULL);
            if (owner < 0) throw Libc.failure("cannot find the user namespace of process " + pid, "use Linux 4.9 or newer");
            return new Handle(owner);
        } finally {
            Libc.close(ns);
        }
    }
}
