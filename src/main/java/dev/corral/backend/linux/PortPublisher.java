package dev.corral.backend.linux;

import dev.corral.host.Executables;
import dev.corral.host.HostException;
import dev.corral.host.Namespaces;
import dev.corral.policy.PublishedPort;
import dev.corral.support.ChannelStreams;
import dev.corral.support.Files2;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code -p HOST_PORT:SANDBOX_PORT}, the only way into a sandbox: Corral listens on the host's
 * 127.0.0.1, and a socat that has entered only the sandbox's network namespace (not its files or
 * processes) listens on a Unix socket in Corral's runtime folder — out of the sandbox's reach —
 * and connects to the port on the sandbox's loopback.
 */
public final class PortPublisher implements AutoCloseable {
    private final List<PublishedPort> ports;
    private final List<ServerSocket> listeners = new ArrayList<>();
    private final List<Process> bridges = new ArrayList<>();
    private final Path dir;

    private PortPublisher(List<PublishedPort> ports, Path dir) {
        this.ports = ports;
        this.dir = dir;
    }

    /** Takes the host ports at once, so a port in use stops the launch before the sandbox starts. */
    static PortPublisher bind(List<PublishedPort> ports, Path runtimeDir) {
        PortPublisher publisher = new PortPublisher(List.copyOf(ports), runtimeDir.resolve("publish"));
        try {
            for (PublishedPort port : ports) publisher.listeners.add(listen(port));
            if (!ports.isEmpty()) Files2.createPrivateDirectories(publisher.dir);
            return publisher;
        } catch (IOException e) {
            publisher.close();
            throw new HostException("cannot publish ports: " + e.getMessage(), "check " + runtimeDir);
        } catch (RuntimeException e) {
            publisher.close();
            throw e;
        }
    }

    /** The host's end of a published port: 127.0.0.1 only (an IPv4 socket, not a dual-stack one's mapped address). */
    public static ServerSocket listen(PublishedPort port) throws IOException {
        ServerSocket listener = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.INET).socket();
        listener.setReuseAddress(true);
        try {
            listener.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[]{127, 0, 0, 1}), port.hostPort()), 128);
        } catch (IOException e) {
            listener.close();
            throw new HostException("cannot publish port " + port.hostPort() + " on 127.0.0.1: " + e.getMessage(),
                    "choose another host port, e.g. -p " + (port.hostPort() + 1) + ":" + port.sandboxPort());
        }
        return listener;
    }

    /** Starts the bridges into the running sandbox's network and begins accepting. */
    void connect(long initPid) {
        if (ports.isEmpty()) return;
        Path nsenter = Executables.require("nsenter", "util-linux");
        Path socat = Executables.require("socat", "socat");
        try (Namespaces.Handle userNamespace = Namespaces.ownerOfNetworkNamespace(initPid)) {
            for (int i = 0; i < ports.size(); i++) {
                PublishedPort port = ports.get(i);
                Path socket = dir.resolve(port.sandboxPort() + ".sock");
                List<String> argv = new ArrayList<>();
                Executables.find("setpriv").ifPresent(setpriv -> argv.addAll(List.of(setpriv.toString(), "--pdeathsig", "KILL", "--")));
                argv.addAll(List.of(nsenter.toString(), "--target", Long.toString(initPid), "--user=" + userNamespace.path(),
                        "--net", "--preserve-credentials", "--", socat.toString(),
                        "UNIX-LISTEN:" + socket + ",fork,unlink-early,mode=600", "TCP:127.0.0.1:" + port.sandboxPort()));
                bridges.add(new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start());
                ServerSocket listener = listeners.get(i);
                Thread.ofVirtual().name("corral-publish-" + port.hostPort()).start(() -> acceptEach(listener, client -> bridge(client, socket)));
            }
            awaitBridges(); // nsenter opens the namespace through our descriptor: keep it open until then
        } catch (IOException e) {
            throw new HostException("cannot publish ports into the sandbox: " + e.getMessage(), "check that socat is installed");
        }
    }

    private void awaitBridges() {
        long deadline = System.nanoTime() + 5_000_000_000L;
        for (PublishedPort port : ports) {
            Path socket = dir.resolve(port.sandboxPort() + ".sock");
            while (!java.nio.file.Files.exists(socket)) {
                if (System.nanoTime() > deadline || bridges.stream().anyMatch(p -> !p.isAlive())) {
                    throw new HostException("the bridge for published port " + port + " did not start",
                            "check that socat and nsenter work (corral doctor)");
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Serves each connection to {@code listener} on a virtual thread of its own until the listener is closed. */
    public static void acceptEach(ServerSocket listener, java.util.function.Consumer<Socket> serve) {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Thread.ofVirtual().start(() -> serve.accept(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void bridge(Socket client, Path socket) {
        try (client; SocketChannel inside = connect(socket)) {
            if (inside == null) return;
            InputStream fromInside = ChannelStreams.input(inside);
            OutputStream toInside = ChannelStreams.output(inside);
            Thread back = Thread.ofVirtual().start(() -> {
                try {
                    fromInside.transferTo(client.getOutputStream());
                    client.shutdownOutput();
                } catch (IOException e) {
                    // either side closed
                }
            });
            try {
                client.getInputStream().transferTo(toInside);
                inside.shutdownOutput();
            } catch (IOException e) {
                // either side closed
            }
            back.join();
        } catch (IOException | InterruptedException e) {
            // the connection ends
        }
    }

    /** The bridge's socket, waiting a moment for a bridge that is still starting. */
    private static SocketChannel connect(Path socket) throws IOException {
        for (int i = 0; i < 100; i++) {
            try {
                SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    channel.connect(UnixDomainSocketAddress.of(socket));
                    return channel;
                } catch (IOException e) {
                    channel.close();
                }
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    @Override
    public void close() {
        for (ServerSocket listener : listeners) {
            try {
                listener.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        for (Process bridge : bridges) bridge.destroyForcibly();
    }
}
