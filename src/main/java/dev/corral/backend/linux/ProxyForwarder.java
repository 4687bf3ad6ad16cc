package dev.corral.backend.linux;

import dev.corral.sandbox.NetworkAccess;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The sandbox's way out: socat listens on the sandbox's own loopback at the proxy port and carries
 * each connection to the proxy's Unix socket. It starts before the command, which runs only once
 * the port listens (so its first request can't race the forwarder); it is outside the command's
 * terminal session, so Ctrl-C never reaches it; and it ends with the sandbox.
 */
public final class ProxyForwarder {
    /**
     * A fixed script; everything variable comes in as arguments. The wait reads /proc/net/tcp with
     * shell built-ins only, without sleeping at first (a sleep is a process: milliseconds each), so
     * the command starts the moment socat listens; a socat that is slow to come up gets ten seconds.
     */
    public static final String SCRIPT = """
            socat=$1 port=$2 socket=$3 hex=$4; shift 4
            "$socat" -b 262144 TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr,fork,nodelay UNIX-CONNECT:"$socket" </dev/null >/dev/null 2>&1 &
            tries=0 ready=
            while :; do
              while read -r slot local remote state rest; do
                if [ "$local" = "0100007F:$hex" ] && [ "$state" = 0A ]; then ready=1; break; fi
              done </proc/net/tcp
              [ -n "$ready" ] && exec "$@"
              tries=$((tries + 1))
              if [ $tries -gt 3000 ]; then echo "corral: the sandbox's proxy forwarder did not start" >&2; exit 125; fi
              [ $tries -gt 2000 ] && sleep 0.01
            done
            """;

    private ProxyForwarder() {
    }

    public static List<String> wrap(String socat, NetworkAccess network, List<String> command) {
        List<String> all = new ArrayList<>(List.of("/bin/sh", "-c", SCRIPT, "corral-forwarder", socat,
                Integer.toString(NetworkAccess.PROXY_PORT), network.sandboxSocket(),
                String.format(Locale.ROOT, "%04X", NetworkAccess.PROXY_PORT)));
        all.addAll(command);
        return all;
    }
}
