package dev.corral.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code -p}: a server inside the sandbox reachable at the host's 127.0.0.1, and nothing else inbound. */
class PublishIT {
    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aServerInsideIsReachableOnTheHostsLoopbackWhileTheSandboxRuns(Invoker invoker, SandboxBackend backend) throws Exception {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.writeWorkspaceFile("index.html", "served from inside\n");
            int hostPort = freePort();
            CorralHarness.Background bg = corral.corralInBackground("run", "--name", "web", "-p", hostPort + ":8000", "--",
                    "/usr/bin/python3", "-m", "http.server", "8000", "--bind", "127.0.0.1");
            try {
                String body = fetch(hostPort, Duration.ofSeconds(20));
                assertEquals("served from inside\n", body);
                String listeners = CorralHarness.run("ss", "-Hltn", "sport = :" + hostPort);
                assertTrue(listeners.contains("127.0.0.1:" + hostPort), listeners);
                assertFalse(listeners.contains("0.0.0.0:" + hostPort) || listeners.contains("*:" + hostPort), listeners);
            } finally {
                assertEquals(0, corral.corral("stop", "web").exit());
                bg.await(Duration.ofSeconds(30));
            }
            Thread.sleep(300);
            String bridge = "UNIX-LISTEN:" + corral.root();
            assertFalse(ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("").contains(bridge)),
                    "no bridge outlives the sandbox");
            assertTrue(CorralHarness.run("ss", "-Hltn", "sport = :" + hostPort).isBlank(), "the host port is free again");
        }
    }

    @Test
    void aHostPortInUseStopsTheLaunchWithAClearError() throws IOException {
        try (CorralHarness corral = new CorralHarness(Invoker.ROOT);
             ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CorralHarness.Result r = corral.corral("run", "-p", taken.getLocalPort() + ":8000", "--", "true");
            assertEquals(125, r.exit(), r::toString);
            assertTrue(r.stderr().contains("cannot publish port " + taken.getLocalPort()), r::toString);
        }
    }

    @Test
    void aMalformedMappingIsRefused() {
        try (CorralHarness corral = new CorralHarness(Invoker.ROOT)) {
            CorralHarness.Result r = corral.corral("run", "-p", "80:99999", "--", "true");
            assertEquals(125, r.exit(), r::toString);
            assertTrue(r.stderr().contains("invalid port mapping"), r::toString);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }

    private static String fetch(int port, Duration within) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + within.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/index.html"))
                        .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) return response.body();
                last = "status " + response.statusCode();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("nothing answered on 127.0.0.1:" + port + ": " + last);
    }
}
