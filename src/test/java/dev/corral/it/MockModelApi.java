package dev.corral.it;

import dev.corral.support.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The model APIs real agents talk to — Anthropic's Messages, OpenAI's Responses, Gemini's — as a
 * local HTTPS server on 127.0.0.1 ({@code mock_llm_api.py}), with a certificate for
 * {@link #HOST} from a test CA of its own. Every request is recorded with its headers.
 */
final class MockModelApi implements AutoCloseable {
    static final String HOST = "mock-llm.test";
    private static final Path SCRIPT = Path.of("src/test/resources/dev/corral/agents/mock_llm_api.py").toAbsolutePath();
    private final Path dir;
    private final TestCertificates certificates;
    private final Process process;
    private final Path record;
    private final int port;

    /**
     * @param reply     the text every prompt is answered with
     * @param toolCommand a shell command the model first asks the agent to run with its Bash tool
     *                    (Anthropic's API only), or null
     */
    MockModelApi(String reply, String toolCommand) {
        try {
            dir = Files.createTempDirectory("corral-mock-api-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            certificates = new TestCertificates(dir, "Corral mock model API CA");
            List<Path> leaf = certificates.leaf(List.of(HOST, "localhost", "127.0.0.1"));
            record = dir.resolve("requests.jsonl");
            Path portFile = dir.resolve("port");
            List<String> argv = new ArrayList<>(List.of("/usr/bin/python3", SCRIPT.toString(), "--port", "0",
                    "--cert", leaf.get(0).toString(), "--key", leaf.get(1).toString(), "--record", record.toString(),
                    "--record-bodies", "--port-file", portFile.toString(), "--reply", reply));
            if (toolCommand != null) argv.addAll(List.of("--tool-command", toolCommand));
            process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!Files.exists(portFile) || Files.readString(portFile).isBlank()) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the mock API did not start: " + Files.readString(dir.resolve("server.log")));
                }
                Thread.sleep(20);
            }
            port = Integer.parseInt(Files.readString(portFile).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int port() {
        return port;
    }

    /** {@code https://mock-llm.test:PORT} */
    String baseUrl() {
        return "https://" + HOST + ":" + port;
    }

    /** The CA that signed the server's certificate: the proxy must trust it (config {@code ca-files}). */
    Path ca() {
        return certificates.ca();
    }

    /** A hosts file that names the server, for the proxy's resolver ({@code -Djdk.net.hosts.file}). */
    Path hostsFile() {
        try {
            Path hosts = dir.resolve("hosts");
            Files.writeString(hosts, "127.0.0.1 " + HOST + "\n");
            return hosts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One recorded request: method, path, headers (lower-case names) and body. */
    record Request(String method, String path, Map<String, String> headers, String body) {
    }

    @SuppressWarnings("unchecked")
    List<Request> requests() {
        try {
            List<Request> requests = new ArrayList<>();
            if (!Files.exists(record)) return requests;
            for (String line : Files.readAllLines(record)) {
                Map<String, Object> entry = Json.parseObject(line);
                if (!entry.containsKey("method")) continue; // a connection event, not a request
                Map<String, String> headers = new java.util.LinkedHashMap<>();
                ((Map<String, Object>) entry.getOrDefault("headers", Map.of())).forEach((k, v) -> headers.put(k, String.valueOf(v)));
                requests.add(new Request((String) entry.get("method"), (String) entry.get("path"), headers,
                        String.valueOf(entry.getOrDefault("body", ""))));
            }
            return requests;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path log() {
        return dir.resolve("server.log");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
            CorralHarness.run("rm", "-rf", dir.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
