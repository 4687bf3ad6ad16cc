package dev.corral.it;

import dev.corral.support.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private network for the egress proxy's tests (root only): a network namespace of its own joined
 * to the host by a veth pair, with servers inside it that record what reaches them.
 *
 * <p>The host side is {@value #HOST_ADDRESS}/24; the namespace side has {@value #ADDRESS} and
 * {@link #EXTRA_ADDRESSES} (198.51.100.3 to .9). These are RFC 5737 documentation addresses, which
 * the proxy treats as public, so no rule has to name them; tests give names to them with
 * {@link #hostsFile(Map)} and {@code -Djdk.net.hosts.file} on the corral JVM
 * ({@link CorralHarness#jvmOptions(List)}). Nothing of the host is touched besides adding the veth.
 *
 * <p>Servers are the system's {@code /usr/bin/python3} run with {@code ip netns exec}: an HTTP/1.1
 * server (keep-alive, every method answered with 200 and {@code hello from ADDRESS}, {@code /bytes/N}
 * for N bytes), the same over TLS with a certificate from a test CA ({@link #testCa()}), and a TCP
 * echo. Each request (each echo connection) is recorded as one JSON line before the answer is sent,
 * so a client that has its answer finds its request in {@link Server#requests()}.
 *
 * <p>Only one test network exists at a time on a machine (they share 198.51.100.0/24): the
 * constructor waits for a lock that {@code bench/proxy.sh} takes too, and removes what a crashed run
 * left behind (namespaces named {@code corral-t*} and folders {@code /tmp/corral-net-*}, which only
 * these tools create). {@link #close()}
 * kills the servers and every process in the namespace, deletes the veth and the namespace, and
 * removes the temporary folder; it also runs at JVM exit if a test forgot it.
 */
public final class TestNetwork implements AutoCloseable {
    public static final String HOST_ADDRESS = "198.51.100.1";
    public static final String ADDRESS = "198.51.100.2";
    public static final List<String> EXTRA_ADDRESSES = List.of("198.51.100.3", "198.51.100.4", "198.51.100.5",
            "198.51.100.6", "198.51.100.7", "198.51.100.8", "198.51.100.9");
    public static final String PYTHON = "/usr/bin/python3";
    /** Shared with bench/proxy.sh; a flock(2) lock, held by a child process that dies with this JVM. */
    public static final Path LOCK = Files.isDirectory(Path.of("/run/lock")) ? Path.of("/run/lock/corral-testnet.lock")
            : Path.of("/tmp/corral-testnet.lock");
    static final String NAMESPACE_PREFIX = "corral-t";
    private static final Duration LOCK_WAIT = Duration.ofSeconds(180);
    private static final Duration START_WAIT = Duration.ofSeconds(20);

    private final String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private final String namespace = NAMESPACE_PREFIX + id;
    private final String hostInterface = "crt" + id + "h";
    private final String namespaceInterface = "crt" + id + "n";
    private final List<Server> servers = new ArrayList<>();
    private final AtomicInteger serverCount = new AtomicInteger();
    private final Thread shutdownHook = new Thread(this::closeQuietly, "test-network-cleanup");
    private Process lock;
    private Path dir;
    private TestCertificates certificates;
    private boolean closed;

    /** Creates the namespace, the veth pair and the addresses; waits while another test network exists. */
    public TestNetwork() {
        if (!"0".equals(exec(List.of("id", "-u"), 20).stdout().strip())) {
            throw new IllegalStateException("TestNetwork needs root (ip netns, veth)");
        }
        try {
            lock = acquireLock();
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            removeLeftovers();
            dir = Files.createTempDirectory(Path.of("/tmp"), "corral-net-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            must("ip", "netns", "add", namespace);
            must("ip", "link", "add", hostInterface, "type", "veth", "peer", "name", namespaceInterface);
            must("ip", "link", "set", namespaceInterface, "netns", namespace);
            must("ip", "addr", "add", HOST_ADDRESS + "/24", "dev", hostInterface);
            must("ip", "link", "set", hostInterface, "up");
            must("ip", "-n", namespace, "link", "set", "lo", "up");
            must("ip", "-n", namespace, "addr", "add", ADDRESS + "/24", "dev", namespaceInterface);
            for (String extra : EXTRA_ADDRESSES) must("ip", "-n", namespace, "addr", "add", extra + "/24", "dev", namespaceInterface);
            must("ip", "-n", namespace, "link", "set", namespaceInterface, "up");
        } catch (IOException | RuntimeException | Error e) {
            try {
                close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            if (e instanceof RuntimeException r) throw r;
            if (e instanceof Error error) throw error;
            throw new UncheckedIOException((IOException) e);
        }
    }

    /** The namespace's name ({@code ip netns list}). */
    public String namespace() {
        return namespace;
    }

    /** The host side of the veth pair. */
    public String hostInterface() {
        return hostInterface;
    }

    /** This network's temporary folder (world-readable: the unprivileged test user reads files in it). */
    public Path dir() {
        return dir;
    }

    /**
     * A hosts-format file ({@code ADDRESS NAME} lines) for {@code -Djdk.net.hosts.file=FILE}, readable
     * by every user. A JVM given it resolves these names only: any other name is unknown.
     */
    public Path hostsFile(Map<String, String> nameToAddress) {
        StringBuilder text = new StringBuilder("# corral test network ").append(namespace).append('\n');
        nameToAddress.forEach((name, address) -> text.append(address).append(' ').append(name).append('\n'));
        return writePublic("hosts-" + serverCount.incrementAndGet(), text.toString());
    }

    /**
     * The test CA's certificate (PEM), created with the {@code openssl} CLI on first use: EC P-256,
     * valid for two days, unique to this instance. Its key stays in {@link #dir()}, readable by root only.
     */
    public synchronized Path testCa() {
        return certificates().ca();
    }

    private synchronized TestCertificates certificates() {
        if (certificates == null) certificates = new TestCertificates(dir, "Corral test CA " + id);
        return certificates;
    }

    /** An HTTP/1.1 server at ADDRESS:PORT inside the namespace (PORT 0: any free port), once it listens. */
    public Server httpServer(String address, int port) {
        return start("http", address, port, List.of());
    }

    /**
     * The same server over TLS (1.2 or newer, ALPN http/1.1) with a certificate for {@code dnsNames}
     * (IP literals become IP names) signed by {@link #testCa()}; each request also records the SNI
     * the client sent ({@code null} without one) and the ALPN protocol chosen.
     */
    public Server httpsServer(String address, int port, List<String> dnsNames) {
        List<Path> leaf = certificates().leaf(dnsNames);
        return start("https", address, port, List.of(leaf.get(0).toString(), leaf.get(1).toString()));
    }

    /** A TCP server that echoes every byte back until the client closes; each connection is recorded at its end as {@code {client, bytes}}. */
    public Server tcpEcho(String address, int port) {
        return start("echo", address, port, List.of());
    }

    /** One server process inside the namespace. */
    public final class Server {
        private final String kind;
        private final String address;
        private final int port;
        private final Process process;
        private final Path records;
        private final Path log;

        private Server(String kind, String address, int port, Process process, Path records, Path log) {
            this.kind = kind;
            this.address = address;
            this.port = port;
            this.process = process;
            this.records = records;
            this.log = log;
        }

        public String address() {
            return address;
        }

        public int port() {
            return port;
        }

        /** {@code ADDRESS:PORT}. */
        public String authority() {
            return address + ":" + port;
        }

        /** {@code http://ADDRESS:PORT} or {@code https://ADDRESS:PORT}. */
        public String url() {
            return ("https".equals(kind) ? "https://" : "http://") + authority();
        }

        /** The server's process id (on the host's view of processes). */
        public long pid() {
            return process.pid();
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** What the server recorded, one JSON object per request (or echo connection), oldest first. */
        public List<Map<String, Object>> records() {
            String text = readIfExists(records);
            int end = text.lastIndexOf('\n');
            List<Map<String, Object>> out = new ArrayList<>();
            if (end < 0) return out;
            for (String line : text.substring(0, end).split("\n")) {
                if (!line.isBlank()) out.add(Json.parseObject(line));
            }
            return out;
        }

        /** The recorded HTTP requests, oldest first. */
        public List<Request> requests() {
            if ("echo".equals(kind)) throw new IllegalStateException("an echo server records connections: use records()");
            return records().stream().map(Request::of).toList();
        }

        /** Waits until at least {@code count} records exist (echo connections are recorded when they end). */
        public List<Map<String, Object>> awaitRecords(int count, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                List<Map<String, Object>> now = records();
                if (now.size() >= count || System.nanoTime() > deadline) return now;
                sleep(20);
            }
        }

        /** The server's stdout and stderr (tracebacks of failed TLS handshakes land here). */
        public String log() {
            return readIfExists(log);
        }

        /** Kills the server. */
        public void stop() {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public String toString() {
            return kind + " server " + authority() + " (pid " + process.pid() + ")";
        }
    }

    /** One request as an HTTP server recorded it. */
    public record Request(String method, String path, String version, List<Header> headers, String body,
                          String client, boolean tls, String sni, String alpn) {
        /** The first value of a header, by case-insensitive name. */
        public Optional<String> header(String name) {
            return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst();
        }

        /** Every value of a header, in order, by case-insensitive name. */
        public List<String> headerValues(String name) {
            return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).toList();
        }

        static Request of(Map<String, Object> r) {
            List<Header> headers = new ArrayList<>();
            if (r.get("headers") instanceof List<?> list) {
                for (Object pair : list) {
                    List<?> p = (List<?>) pair;
                    headers.add(new Header(String.valueOf(p.get(0)), String.valueOf(p.get(1))));
                }
            }
            return new Request((String) r.get("method"), (String) r.get("path"), (String) r.get("version"), List.copyOf(headers),
                    (String) r.get("body"), (String) r.get("client"), Boolean.TRUE.equals(r.get("tls")),
                    (String) r.get("sni"), (String) r.get("alpn"));
        }
    }

    /** A header as it arrived, name in the sender's case. */
    public record Header(String name, String value) {
    }

    /** Whether a network namespace of this name exists. */
    public static boolean namespaceExists(String name) {
        return namespaces().contains(name);
    }

    /** Whether a network interface of this name exists on the host. */
    public static boolean interfaceExists(String name) {
        return exec(List.of("ip", "link", "show", "dev", name), 20).exit() == 0;
    }

    /** Kills the servers and everything else in the namespace, deletes the veth and the namespace, releases the lock. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        List<String> problems = new ArrayList<>();
        for (Server server : servers) server.stop();
        if (namespaceExists(namespace)) {
            killAll(namespace);
            if (interfaceExists(hostInterface)) note(problems, exec(List.of("ip", "link", "del", hostInterface), 20), "ip link del");
            note(problems, exec(List.of("ip", "netns", "del", namespace), 20), "ip netns del");
        } else if (interfaceExists(hostInterface)) {
            note(problems, exec(List.of("ip", "link", "del", hostInterface), 20), "ip link del");
        }
        if (dir != null) note(problems, exec(List.of("rm", "-rf", dir.toString()), 60), "rm -rf");
        if (lock != null) {
            try {
                lock.getOutputStream().close();   // the lock holder's cat ends, flock(1) releases the lock
                if (!lock.waitFor(10, TimeUnit.SECONDS)) lock.destroyForcibly();
            } catch (IOException e) {
                lock.destroyForcibly();
            } catch (InterruptedException e) {
                lock.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException ignored) {
            // already shutting down, or never registered
        }
        if (namespaceExists(namespace)) problems.add("namespace " + namespace + " is still there");
        if (interfaceExists(hostInterface)) problems.add("interface " + hostInterface + " is still there");
        if (!problems.isEmpty()) throw new IllegalStateException("test network cleanup: " + String.join("; ", problems));
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "test network " + namespace + " (veth " + hostInterface + ")";
    }

    // ---- servers

    /**
     * The servers' program. argv: MODE (http, https, echo) ADDRESS PORT RECORDS [CERT KEY]. Prints
     * {@code READY PORT} once it listens. Written without backslashes (it sits in a Java text block).
     */
    private static final String SERVER = """
            import http.server, json, socket, socketserver, ssl, sys, threading, urllib.parse
            mode, address, port, record_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
            family = socket.AF_INET6 if ':' in address else socket.AF_INET
            NL = chr(10)
            lock = threading.Lock()
            records = open(record_path, 'a', encoding='utf-8')

            def record(entry):
                line = json.dumps(entry) + NL
                with lock:
                    records.write(line)
                    records.flush()

            context = None
            if mode == 'https':
                context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                context.minimum_version = ssl.TLSVersion.TLSv1_2
                context.load_cert_chain(sys.argv[5], sys.argv[6])
                context.set_alpn_protocols(['http/1.1'])
                def remember_sni(sock, server_name, ctx):
                    sock.corral_sni = server_name
                context.sni_callback = remember_sni

            CHUNK = b'corral!' + bytes([10])
            CHUNK = CHUNK * (65536 // len(CHUNK))

            class Handler(http.server.BaseHTTPRequestHandler):
                protocol_version = 'HTTP/1.1'
                disable_nagle_algorithm = True
                timeout = 120

                def setup(self):
                    if context is not None:
                        self.request.settimeout(self.timeout)
                        self.request = context.wrap_socket(self.request, server_side=True)
                    super().setup()

                def finish(self):
                    try:
                        super().finish()
                    finally:
                        if context is not None:
                            try:
                                self.request.shutdown(socket.SHUT_WR)
                            except OSError:
                                pass
                            self.request.close()

                def log_message(self, format, *args):
                    pass

                def __getattr__(self, name):
                    if name.startswith('do_'):
                        return self.answer
                    raise AttributeError(name)

                def read_body(self):
                    if 'chunked' in self.headers.get('Transfer-Encoding', '').lower():
                        body = bytearray()
                        while True:
                            size = int(self.rfile.readline(65537).split(b';')[0].strip(), 16)
                            if size == 0:
                                while self.rfile.readline(65537).strip():
                                    pass
                                return bytes(body)
                            body += self.rfile.read(size)
                            self.rfile.readline(65537)
                    length = int(self.headers.get('Content-Length') or 0)
                    return self.rfile.read(length) if length > 0 else b''

                def answer(self):
                    body = self.read_body()
                    tls = context is not None
                    record({'method': self.command, 'path': self.path, 'version': self.request_version,
                            'headers': [[k, v] for k, v in self.headers.items()],
                            'body': body.decode('utf-8', 'replace'), 'client': self.client_address[0], 'tls': tls,
                            'sni': getattr(self.connection, 'corral_sni', None) if tls else None,
                            'alpn': self.connection.selected_alpn_protocol() if tls else None})
                    path = urllib.parse.urlsplit(self.path).path
                    if path.startswith('/bytes/') and path[7:].isdigit():
                        self.send_bytes(int(path[7:]))
                    elif path == '/reflect':
                        self.send_response(200)
                        self.send_header('Content-Length', str(len(body)))
                        self.end_headers()
                        self.wfile.write(body)
                    else:
                        data = ('hello from ' + address).encode()
                        self.send_response(200)
                        self.send_header('Content-Type', 'text/plain; charset=utf-8')
                        self.send_header('Content-Length', str(len(data)))
                        self.end_headers()
                        if self.command != 'HEAD':
                            self.wfile.write(data)

                def send_bytes(self, n):
                    self.send_response(200)
                    self.send_header('Content-Type', 'application/octet-stream')
                    self.send_header('Content-Length', str(n))
                    self.end_headers()
                    if self.command == 'HEAD':
                        return
                    view = memoryview(CHUNK)
                    while n > 0:
                        k = min(n, len(CHUNK))
                        self.wfile.write(view[:k])
                        n -= k

            class EchoHandler(socketserver.BaseRequestHandler):
                def handle(self):
                    total = 0
                    while True:
                        data = self.request.recv(65536)
                        if not data:
                            break
                        self.request.sendall(data)
                        total += len(data)
                    record({'client': self.client_address[0], 'bytes': total})

            class HTTPServer(http.server.ThreadingHTTPServer):
                address_family = family
                request_queue_size = 128
                daemon_threads = True

                def server_bind(self):
                    # HTTPServer's own would look the address up in DNS, which the namespace lacks.
                    socketserver.TCPServer.server_bind(self)
                    self.server_name, self.server_port = self.server_address[:2]

            class EchoServer(socketserver.ThreadingTCPServer):
                address_family = family
                request_queue_size = 128
                allow_reuse_address = True
                daemon_threads = True

            if mode == 'echo':
                server = EchoServer((address, port), EchoHandler)
            else:
                server = HTTPServer((address, port), Handler)
            print('READY', server.server_address[1], flush=True)
            server.serve_forever()
            """;

    private static final Pattern READY = Pattern.compile("(?m)^READY (\\d+)$");

    private synchronized Server start(String kind, String address, int port, List<String> extraArgs) {
        if (closed) throw new IllegalStateException("the test network is closed");
        int n = serverCount.incrementAndGet();
        Path records = dir.resolve("server-" + n + ".jsonl");
        Path log = dir.resolve("server-" + n + ".log");
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", namespace, PYTHON, "-c", SERVER,
                kind, address, Integer.toString(port), records.toString()));
        argv.addAll(extraArgs);
        try {
            Files.writeString(records, "");
            makePublic(records);
            ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
            Process process = builder.start();
            long deadline = System.nanoTime() + START_WAIT.toNanos();
            while (true) {
                Matcher ready = READY.matcher(readIfExists(log));
                if (ready.find()) {
                    Server server = new Server(kind, address, Integer.parseInt(ready.group(1)), process, records, log);
                    servers.add(server);
                    return server;
                }
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                    throw new IllegalStateException("the " + kind + " server at " + address + ":" + port + " in " + namespace
                            + " did not start" + (process.isAlive() ? " in time" : "") + ":\n" + readIfExists(log));
                }
                sleep(10);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- set-up and clean-up

    /** Takes the machine-wide lock: a child {@code flock} holds it while its stdin (a pipe from this JVM) stays open. */
    private static Process acquireLock() throws IOException {
        Process holder = new ProcessBuilder("flock", "-w", Long.toString(LOCK_WAIT.toSeconds()), LOCK.toString(),
                "/bin/sh", "-c", "echo locked; exec cat >/dev/null").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"locked".equals(line)) {
            holder.destroyForcibly();
            throw new IllegalStateException("another test network (a test, or bench/proxy.sh) held " + LOCK + " for "
                    + LOCK_WAIT.toSeconds() + " s; only one can exist at a time (they share 198.51.100.0/24)");
        }
        return holder;
    }

    /** With the lock held, namespaces named corral-t* and folders /tmp/corral-net-* are left over from a run that crashed. */
    private static void removeLeftovers() {
        for (String ns : namespaces()) {
            if (!ns.startsWith(NAMESPACE_PREFIX)) continue;
            killAll(ns);
            // Deleting the namespace's end of a veth deletes both ends at once; the namespace itself goes later.
            for (String line : exec(List.of("ip", "-n", ns, "-o", "link", "show"), 20).stdout().split("\n")) {
                String[] fields = line.split(":\\s+", 3);
                if (fields.length < 2 || fields[1].equals("lo")) continue;
                exec(List.of("ip", "-n", ns, "link", "del", fields[1].replaceFirst("@.*", "")), 20);
            }
            exec(List.of("ip", "netns", "del", ns), 20);
        }
        try (var dirs = Files.newDirectoryStream(Path.of("/tmp"), "corral-net-*")) {
            for (Path stale : dirs) exec(List.of("rm", "-rf", stale.toString()), 60);
        } catch (IOException ignored) {
            // only tidying
        }
        String addresses = exec(List.of("ip", "-o", "-4", "addr", "show"), 20).stdout();
        for (String line : addresses.split("\n")) {
            if (line.contains(" " + HOST_ADDRESS + "/")) {
                throw new IllegalStateException(HOST_ADDRESS + " is already on a host interface, so the test network "
                        + "cannot be created (a leftover? remove it with ip addr del): " + line.strip());
            }
        }
    }

    private static List<String> namespaces() {
        List<String> names = new ArrayList<>();
        for (String line : exec(List.of("ip", "netns", "list"), 20).stdout().split("\n")) {
            if (!line.isBlank()) names.add(line.strip().split("\\s+")[0]);
        }
        return names;
    }

    /** SIGKILLs every process in the namespace, and waits for them to be gone. */
    private static void killAll(String ns) {
        for (int attempt = 0; attempt < 50; attempt++) {
            String pids = exec(List.of("ip", "netns", "pids", ns), 20).stdout().strip();
            if (pids.isEmpty()) return;
            for (String pid : pids.split("\\s+")) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
            sleep(20);
        }
    }

    private Path writePublic(String name, String text) {
        return TestCertificates.writePublic(dir.resolve(name), text);
    }

    private static void makePublic(Path file) {
        TestCertificates.makePublic(file);
    }

    private static String readIfExists(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void note(List<String> problems, CorralHarness.Result r, String what) {
        if (r.exit() != 0) problems.add(what + ": " + r.stderr().strip());
    }

    private static void must(String... argv) {
        CorralHarness.Result r = exec(List.of(argv), 60);
        if (r.exit() != 0) throw new IllegalStateException(String.join(" ", argv) + " failed: " + r);
    }

    private static CorralHarness.Result exec(List<String> argv, int timeoutSeconds) {
        try {
            Path out = Files.createTempFile("corral-netcmd-out", ".txt");
            Path err = Files.createTempFile("corral-netcmd-err", ".txt");
            try {
                Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor();
                }
                return new CorralHarness.Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
