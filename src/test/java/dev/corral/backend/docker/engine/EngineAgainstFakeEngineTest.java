package dev.corral.backend.docker.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.support.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The client end to end, against a fake engine on a Unix socket: versions, paths, errors, upgrades. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EngineAgainstFakeEngineTest {
    @TempDir
    Path dir;

    private FakeEngine fake;

    @AfterEach
    void stopTheFake() throws IOException {
        if (fake != null) fake.close();
    }

    private static String version(String api, String min) {
        return Json.write(Map.of("ApiVersion", api, "MinAPIVersion", min, "Version", "27.1.1",
                "Components", List.of(Map.of("Name", "Engine", "Version", "27.1.1"))));
    }

    /** A fake that speaks API 1.45 and hands every other request to {@code rest}. */
    private Engine connect(FakeEngine.Handler rest) throws IOException {
        fake = FakeEngine.start(dir.resolve("engine.sock"), (request, in, out) -> {
            if (request.target().equals("/version")) FakeEngine.json(out, 200, version("1.45", "1.24"));
            else rest.answer(request, in, out);
        });
        return Engine.connect(fake.address());
    }

    @ParameterizedTest
    @CsvSource({"1.41, 1.12, 1.41", "1.45, 1.24, 1.45", "1.47, 1.24, 1.47", "1.52, 1.24, 1.47", "1.52, 1.49, 1.49"})
    void connectAgreesOnTheVersionAndPrefixesEveryPathWithIt(String api, String min, String expected) throws IOException {
        fake = FakeEngine.start(dir.resolve("engine.sock"), (request, in, out) -> {
            if (request.target().equals("/version")) FakeEngine.json(out, 200, version(api, min));
            else FakeEngine.json(out, 200, "{\"Id\":\"sha256:0123\"}");
        });

        Engine engine = Engine.connect(fake.address());
        Optional<Map<String, Object>> image = engine.inspectImage("corral/base:1");

        assertEquals("sha256:0123", image.orElseThrow().get("Id"));
        List<FakeEngine.Request> requests = fake.requests();
        assertEquals("GET", requests.get(0).method());
        assertEquals("/version", requests.get(0).target(), "the version is asked before any is agreed");
        assertEquals("/v" + expected + "/images/corral%2Fbase%3A1/json", requests.get(1).target());
        assertEquals("Docker Engine 27.1.1 (API " + expected + ")", engine.describe());
    }

    @Test
    void anEngineTooOldIsRefusedAtConnect() throws IOException {
        fake = FakeEngine.start(dir.resolve("engine.sock"), (request, in, out) -> FakeEngine.json(out, 200, version("1.40", "1.12")));

        EngineException e = assertThrows(EngineException.class, () -> Engine.connect(fake.address()));

        assertTrue(e.getMessage().contains("1.40"), e.getMessage());
        assertTrue(e.fix().isPresent());
    }

    @Test
    void anImageTheEngineDoesNotHaveIsEmpty() throws IOException {
        Engine engine = connect((request, in, out) -> FakeEngine.json(out, 404, "{\"message\":\"No such image: corral/base:1\"}"));

        assertEquals(Optional.empty(), engine.inspectImage("corral/base:1"));
        assertEquals("/v1.45/images/corral%2Fbase%3A1/json", fake.requests().getLast().target());
    }

    @Test
    void theEnginesMessageIsInTheException() throws IOException {
        String message = "Conflict. The container name \"/corral-shell-project\" is already in use by container \"4f66ad9a0b\"";
        Engine engine = connect((request, in, out) -> FakeEngine.json(out, 409, Json.write(Map.of("message", message))));

        EngineException e = assertThrows(EngineException.class, () -> engine.createContainer("corral-shell-project", Map.of("Image", "x")));

        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertEquals(409, e.status());
        FakeEngine.Request create = fake.requests().getLast();
        assertEquals("POST", create.method());
        assertEquals("/v1.45/containers/create?name=corral-shell-project", create.target());
        assertEquals(Map.of("Image", "x"), Json.parseObject(create.text()));
        assertEquals("application/json", create.headers().get("content-type"));
    }

    @Test
    void aChunkedErrorBodyIsReadToo() throws IOException {
        Engine engine = connect((request, in, out) -> FakeEngine.chunked(out, 500, List.of("{\"message\":", "\"driver failed programming\"}")));

        EngineException e = assertThrows(EngineException.class, () -> engine.startContainer("abc"));

        assertTrue(e.getMessage().contains("driver failed programming"), e.getMessage());
        assertEquals(500, e.status());
    }

    @Test
    void containerCallsTolerateWhatIsAlreadySo() throws IOException {
        Engine engine = connect((request, in, out) -> {
            String target = request.target();
            if (target.contains("/wait")) FakeEngine.json(out, 200, "{\"StatusCode\":137,\"Error\":null}");
            else if (target.contains("/kill")) FakeEngine.json(out, 409, "{\"message\":\"container abc is not running\"}");
            else if (request.method().equals("DELETE")) FakeEngine.json(out, 404, "{\"message\":\"No such container: abc\"}");
            else if (target.contains("/start")) FakeEngine.noContent(out);
            else FakeEngine.json(out, 500, "{\"message\":\"unexpected\"}");
        });

        engine.startContainer("abc");
        assertEquals(137, engine.waitContainer("abc"));
        engine.killContainer("abc", "SIGKILL");
        engine.removeContainer("abc");

        List<String> targets = fake.requests().stream().skip(1).map(r -> r.method() + " " + r.target()).toList();
        assertEquals(List.of("POST /v1.45/containers/abc/start", "POST /v1.45/containers/abc/wait",
                "POST /v1.45/containers/abc/kill?signal=SIGKILL", "DELETE /v1.45/containers/abc?force=1&v=0"), targets);
    }

    @Test
    void aKillTheEngineRefusesForAnotherReasonIsAnError() throws IOException {
        Engine engine = connect((request, in, out) -> FakeEngine.json(out, 500, "{\"message\":\"cannot kill: permission denied\"}"));

        assertThrows(EngineException.class, () -> engine.killContainer("abc", "SIGTERM"));
    }

    @Test
    void anAnswerThatIsNotHttpIsAnEngineException() throws IOException {
        fake = FakeEngine.start(dir.resolve("engine.sock"), (request, in, out) -> out.write("SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.UTF_8)));

        EngineException e = assertThrows(EngineException.class, () -> Engine.connect(fake.address()));

        assertTrue(e.getMessage().contains("broke off"), e.getMessage());
    }

    @Test
    void buildProgressIsPassedOnAndAnErrorLineFailsIt() throws IOException {
        Engine engine = connect((request, in, out) -> FakeEngine.chunked(out, 200, List.of(
                "{\"stream\":\"Step 1/2 : FROM scratch\\n\"}\n", "{\"stream\":\"\\n\"}\n{\"status\":\"Loading\"}\n",
                "{\"errorDetail\":{\"message\":\"no space left\"},\"error\":\"no space left\"}\n")));
        Path context = Files.write(dir.resolve("context.tar"), new byte[]{1, 2, 3, 4, 5});
        List<String> progress = new ArrayList<>();

        EngineException e = assertThrows(EngineException.class, () -> engine.build(context, "corral/base:1", progress::add));

        assertTrue(e.getMessage().contains("no space left"), e.getMessage());
        assertEquals(List.of("Step 1/2 : FROM scratch", "Loading"), progress);
        FakeEngine.Request build = fake.requests().getLast();
        assertTrue(build.target().startsWith("/v1.45/build?t=corral%2Fbase%3A1&networkmode=none"), build.target());
        assertArrayEquals(new byte[]{1, 2, 3, 4, 5}, build.body());
        assertEquals("application/x-tar", build.headers().get("content-type"));
    }

    // ---- an engine that isn't there

    @Test
    void aSocketThatDoesNotExistMeansTheEngineIsNotRunning() {
        EngineAddress address = new EngineAddress(dir.resolve("nothing-here.sock"), false);

        EngineException e = assertThrows(EngineException.class, () -> Engine.connect(address));

        assertTrue(e.getMessage().contains("not running"), e.getMessage());
        assertTrue(e.getMessage().contains(address.toString()), e.getMessage());
        assertTrue(e.fix().orElseThrow().contains("systemctl start docker"), e.fix().orElseThrow());
    }

    @Test
    void aSocketLeftByAStoppedEngineMeansItIsNotRunning() throws IOException {
        Path socket = dir.resolve("stale.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
        }
        assertTrue(Files.exists(socket), "the socket file stays behind");

        EngineException e = assertThrows(EngineException.class, () -> Engine.connect(new EngineAddress(socket, false)));

        assertTrue(e.getMessage().contains("not running"), e.getMessage());
    }

    // a socket the user may not use: DockerErrorsIT, as the ordinary user corral-test against the real engine

    @Test
    void permissionDeniedAsTheJdkReportsItGivesThePermissionMessage() {
        // what SocketChannel.connect throws for a socket of mode 000 to an ordinary user (checked by hand, JDK 25)
        EngineAddress address = new EngineAddress(Path.of("/var/run/docker.sock"), false);

        EngineException e = EngineConnection.unreachable(address, new java.net.BindException("Permission denied"));

        assertTrue(e.getMessage().contains("permission denied on the Docker engine's socket /var/run/docker.sock"), e.getMessage());
        assertTrue(e.fix().orElseThrow().contains("usermod -aG docker"), e.fix().orElseThrow());
    }

    // ---- upgraded connections

    /** Answers 101, then sends back all it gets; at the end of its input it says "bye" and hangs up. */
    private static void echo(InputStream in, OutputStream out) throws IOException {
        FakeEngine.upgraded(out);
        byte[] buffer = new byte[8192];
        for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
            out.write(buffer, 0, n);
            out.flush();
        }
        out.write("bye".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Test
    void attachStreamsBothWaysUntilItsInputEnds() throws Exception {
        Engine engine = connect((request, in, out) -> echo(in, out));
        byte[] bulk = new byte[3 << 20];
        new Random(99).nextBytes(bulk);

        try (EngineStream stream = engine.attach("abc", true)) {
            stream.output().write("hello\n".getBytes(StandardCharsets.UTF_8));
            stream.output().flush();
            assertEquals("hello\n", new String(stream.input().readNBytes(6), StandardCharsets.UTF_8));

            // more than the sockets hold, written while read: neither direction waits for the other
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    stream.output().write(bulk);
                    stream.output().flush();
                    stream.closeInput();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, command -> Thread.ofVirtual().start(command));
            byte[] back = stream.input().readNBytes(bulk.length);
            writer.get(20, TimeUnit.SECONDS);
            assertArrayEquals(bulk, back);
            ByteArrayOutputStream tail = new ByteArrayOutputStream();
            stream.input().transferTo(tail);
            assertEquals("bye", tail.toString(StandardCharsets.UTF_8), "then the engine's end of the stream");
        }

        FakeEngine.Request attach = fake.requests().getLast();
        assertEquals("POST", attach.method());
        assertEquals("/v1.45/containers/abc/attach?stream=1&stdout=1&stderr=1&stdin=1", attach.target());
        assertEquals("Upgrade", attach.headers().get("connection"));
        assertEquals("tcp", attach.headers().get("upgrade"));
    }

    @Test
    void startExecAsksForTheUpgradeWithItsOptions() throws IOException {
        Engine engine = connect((request, in, out) -> echo(in, out));

        try (EngineStream stream = engine.startExec("e1", true)) {
            stream.closeInput();
            assertEquals("bye", new String(stream.input().readAllBytes(), StandardCharsets.UTF_8));
        }

        FakeEngine.Request start = fake.requests().getLast();
        assertEquals("/v1.45/exec/e1/start", start.target());
        assertEquals(Map.of("Detach", false, "Tty", true), Json.parseObject(start.text()));
        assertEquals("tcp", start.headers().get("upgrade"));
    }

    @Test
    void anAttachTheEngineRefusesIsAnEngineException() throws IOException {
        Engine engine = connect((request, in, out) -> FakeEngine.json(out, 404, "{\"message\":\"No such container: abc\"}"));

        EngineException e = assertThrows(EngineException.class, () -> engine.attach("abc", false));

        assertTrue(e.getMessage().contains("No such container: abc"), e.getMessage());
        assertTrue(e.isNotFound());
    }
}
