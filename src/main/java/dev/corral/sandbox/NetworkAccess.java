package dev.corral.sandbox;

import java.nio.file.Path;
import java.util.Map;

/**
 * How a sandbox reaches the network: a host folder holding the proxy's Unix socket (and, when
 * secrets are in play, the CA files the sandbox trusts), mounted read-only at {@link #SANDBOX_DIR};
 * a forwarder inside listens on the sandbox's loopback at {@link #PROXY_PORT}; and the environment
 * that points programs at it.
 */
public record NetworkAccess(Path hostDir, Map<String, String> environment) {
    public static final String SANDBOX_DIR = "/run/corral";
    public static final String SOCKET = "proxy.sock";
    public static final int PROXY_PORT = 3128;

    public NetworkAccess {
        environment = Map.copyOf(environment);
    }

    public String sandboxSocket() {
        return SANDBOX_DIR + "/" + SOCKET;
    }
}
