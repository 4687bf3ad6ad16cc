package dev.corral.it;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a user sees when the Docker backend can't run: no engine, a socket they may not use, an
 * image the engine doesn't have, an engine too old, a runtime it doesn't know. Each is one line
 * with the fix and exit 125, and nothing is left behind.
 */
class DockerErrorsIT {

    @Test
    void anEngineThatIsNotRunningIsSaidWithHowToStartIt() {
        try (CorralHarness corral = new CorralHarness(Invoker.ROOT, SandboxBackend.DOCKER)) {
            CorralHarness.Result r = corral.corralVia(List.of(), Map.of("DOCKER_HOST", "unix://" + corral.root().resolve("no-engine.sock")),
                    "run", "--", "true");
            assertOneLineError(r, "is not running", "start it");
            assertFalse(corral.corral("ls").stdout().contains("shell-project"), "a failed run left a sandbox:\n" + r);
        }
    }

    @Test
    void aSocketTheUserMayNotUseIsSaidWithTheGroupToJoin() {
        try (CorralHarness corral = new CorralHarness(Invoker.USER, SandboxBackend.DOCKER).outsideEngineGroup()) {
            CorralHarness.Result r = corral.corral("run", "--", "true");
            assertOneLineError(r, "permission denied", "usermod -aG docker");
        }
    }

    @Test
    void anImageTheEngineLacksIsSaidWithHowToGetIt() {
        try (CorralHarness corral = new CorralHarness(Invoker.ROOT, SandboxBackend.DOCKER)) {
            CorralHarness.Result r = corral.corral("run", "--image", "corral-test/no-such-image:1", "--", "true");
            assertOneLineError(r, "corral-test/no-such-image:1 is not in the engine", "docker images");
        }
    }

    @Test
    void aRuntimeTheEngineDoesNotKnowIsSaidWithWhatItHas() {
        try (CorralHarness corral = new CorralHarness(Invoker.ROOT, SandboxBackend.DOCKER)) {
            CorralHarness.Result r = corral.corral("run", "--runtime", "no-such-runtime", "--", "true");
            assertOneLineError(r, "no runtime 'no-such-runtime'", "runc");
        }
    }

    @Test
    void imageAndRuntimeNeedTheDockerBackend() {
        try (CorralHarness corral = new CorralHarness(Invoker.ROOT)) {
            CorralHarness.Result r = corral.corral("run", "--image", "debian:13", "--", "true");
            assertOneLineError(r, "--image needs the Docker backend", "--backend docker");
        }
    }

    @Test
    void anEngineWhoseApiIsTooOldIsSaidWithTheVersionNeeded() throws IOException {
        try (CorralHarness corral = new CorralHarness(Invoker.ROOT, SandboxBackend.DOCKER);
             OldEngine engine = OldEngine.start(corral.root().resolve("old-engine.sock"))) {
            CorralHarness.Result r = corral.corralVia(List.of(), Map.of("DOCKER_HOST", "unix://" + engine.socket()), "run", "--", "true");
            assertOneLineError(r, "speaks Docker API 1.30, Corral needs 1.41", "upgrade it");
        }
    }

    private static void assertOneLineError(CorralHarness.Result r, String cause, String fix) {
        assertEquals(125, r.exit(), r::toString);
        List<String> lines = r.stderr().lines().filter(l -> l.startsWith("corral: ")).toList();
        assertEquals(1, lines.size(), r::toString);
        assertTrue(lines.getFirst().contains(cause), () -> "the cause is not said:\n" + r);
        assertTrue(lines.getFirst().contains(fix), () -> "the fix is not said:\n" + r);
        assertFalse(r.stderr().contains("Exception"), r::toString);
    }

    /** An engine that answers every request as Docker 17.06 would: API 1.30. */
    private record OldEngine(Path socket, ServerSocketChannel server) implements AutoCloseable {
        static OldEngine start(Path socket) throws IOException {
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
            OldEngine engine = new OldEngine(socket, server);
            Thread.ofVirtual().start(engine::serve);
            return engine;
        }

        private void serve() {
            while (server.isOpen()) {
                try (SocketChannel client = server.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.ISO_8859_1));
                    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                        // the request's head: whatever is asked, the answer is the same
                    }
                    String body = "{\"Version\":\"17.06.0\",\"ApiVersion\":\"1.30\",\"MinAPIVersion\":\"1.12\"}";
                    String answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
                    Channels.newOutputStream(client).write(answer.getBytes(StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            Files.deleteIfExists(socket);
        }
    }
}
