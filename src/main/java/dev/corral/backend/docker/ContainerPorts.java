package dev.corral.backend.docker;

import dev.corral.backend.docker.engine.Engine;
import dev.corral.backend.docker.engine.EngineStream;
import dev.corral.backend.docker.engine.StreamFrames;
import dev.corral.backend.linux.PortPublisher;
import dev.corral.host.HostException;
import dev.corral.policy.PublishedPort;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code -p} on the Docker backend: Corral listens on the host's 127.0.0.1, and each connection is
 * carried by a socat the engine starts inside the container ({@code exec}), which connects to the
 * port on the container's loopback. The container keeps network mode none, nothing of the host is
 * entered, and it works the same with an engine in a VM; a connection costs one exec to set up.
 */
final class ContainerPorts implements AutoCloseable {
    private final List<PublishedPort> ports;
    private final List<ServerSocket> listeners;

    private ContainerPorts(List<PublishedPort> ports, List<ServerSocket> listeners) {
        this.ports = ports;
        this.listeners = listeners;
    }

    /** Takes the host ports at once, so a port in use stops the launch before the container exists. */
    static ContainerPorts bind(List<PublishedPort> ports) {
        List<ServerSocket> listeners = new ArrayList<>();
        try {
            for (PublishedPort port : ports) listeners.add(PortPublisher.listen(port));
            return new ContainerPorts(List.copyOf(ports), listeners);
        } catch (IOException | RuntimeException e) {
            new ContainerPorts(ports, listeners).close();
            if (e instanceof RuntimeException runtime) throw runtime;
            throw new HostException("cannot publish ports: " + e.getMessage(), "choose other host ports");
        }
    }

    /** Begins accepting once the container runs. */
    void connect(Engine engine, String container, String user) {
        for (int i = 0; i < ports.size(); i++) {
            PublishedPort port = ports.get(i);
            ServerSocket listener = listeners.get(i);
            Thread.ofVirtual().name("corral-publish-" + port.hostPort())
                    .start(() -> PortPublisher.acceptEach(listener, client -> bridge(client, engine, container, user, port)));
        }
    }

    private static void bridge(Socket client, Engine engine, String container, String user, PublishedPort port) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("AttachStdin", true);
        config.put("AttachStdout", true);
        config.put("AttachStderr", false);
        config.put("Tty", false);
        config.put("User", user);
        config.put("Cmd", List.of("socat", "-", "TCP:127.0.0.1:" + port.sandboxPort()));
        try (client; EngineStream stream = engine.startExec(engine.createExec(container, config), false)) {
            Thread in = Thread.ofVirtual().start(() -> {
                try {
                    client.getInputStream().transferTo(stream.output());
                } catch (IOException e) {
                    // either side closed
                }
                stream.closeInput();
            });
            OutputStream out = client.getOutputStream();
            StreamFrames.copy(stream.input(), out, OutputStream.nullOutputStream());
            client.shutdownOutput();
            in.join(1000);
        } catch (IOException | RuntimeException | InterruptedException e) {
            // the connection ends (the container stopped, or the client went away)
        }
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
    }
}
