package dev.corral.host.cgroup;

import dev.corral.host.HostException;

/** A cgroup could not be created, limited or joined. The message says why and how to fix it. */
public class CgroupException extends HostException {
    public CgroupException(String message, String fix) {
        super(message, fix);
    }

    public CgroupException(String message, String fix, Throwable cause) {
        super(message, fix, cause);
    }
}
