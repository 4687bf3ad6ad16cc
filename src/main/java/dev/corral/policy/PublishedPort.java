package dev.corral.policy;

/**
 * {@code -p [HOST_PORT:]SANDBOX_PORT}: a port on the host's 127.0.0.1 that leads to a port on the
 * sandbox's own loopback — the only way into a sandbox.
 */
public record PublishedPort(int hostPort, int sandboxPort) {
    public PublishedPort {
        if (hostPort < 1 || hostPort > 65535 || sandboxPort < 1 || sandboxPort > 65535) {
            throw new IllegalArgumentException("port out of range");
        }
    }

    public static PublishedPort parse(String text) {
        String[] parts = text.split(":", -1);
        boolean digits = !text.isEmpty() && text.chars().allMatch(c -> (c >= '0' && c <= '9') || c == ':');
        try {
            if (!digits) throw new IllegalArgumentException("not a port");
            if (parts.length == 1) {
                int port = Integer.parseInt(parts[0]);
                return new PublishedPort(port, port);
            }
            if (parts.length == 2) return new PublishedPort(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new PolicyException("invalid port mapping '" + text + "'",
                "use -p SANDBOX_PORT or -p HOST_PORT:SANDBOX_PORT with ports from 1 to 65535, e.g. -p 8080:3000");
    }

    @Override
    public String toString() {
        return hostPort + ":" + sandboxPort;
    }
}
