package dev.corral.net.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/** Real ClientHellos, made at test time by the JDK, Python and OpenSSL, and hand-built ones. */
final class ClientHellos {
    private static final String PYTHON_HELLO = """
            import ssl, sys
            ctx = ssl.create_default_context()
            incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
            name = sys.argv[1] if len(sys.argv) > 1 else None
            if name is None:
                ctx.check_hostname = False
            tls = ctx.wrap_bio(incoming, outgoing, server_hostname=name)
            try:
                tls.do_handshake()
            except ssl.SSLWantReadError:
                pass
            sys.stdout.write(outgoing.read().hex())
            """;

    private ClientHellos() {
    }

    /** The first flight of a JDK client: one record with the ClientHello. */
    static byte[] jdk(String serverName, String... protocols) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
        parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        if (protocols.length > 0) parameters.setProtocols(protocols);
        engine.setSSLParameters(parameters);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        return Arrays.copyOf(out.array(), out.position());
    }

    /** The first flight of CPython's ssl module (OpenSSL underneath) with its default context. */
    static byte[] python(String serverName) throws Exception {
        List<String> command = new ArrayList<>(List.of(TestTools.PYTHON, "-c", PYTHON_HELLO));
        if (serverName != null) command.add(serverName);
        TestTools.Output out = TestTools.run(command, "");
        if (out.exit() != 0) throw new IllegalStateException(out.text());
        return HexFormat.of().parseHex(out.text().strip());
    }

    /** What {@code openssl s_client} sends, captured by a loopback server reading with {@link TlsClientHello}. */
    static byte[] openssl(String... options) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> captured = CompletableFuture.supplyAsync(() -> {
                try (Socket client = server.accept()) {
                    return TlsClientHello.read(client.getInputStream(), 1 << 16).consumed();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + server.getLocalPort()));
            command.addAll(List.of(options));
            TestTools.run(command, "");
            return captured.get(30, TimeUnit.SECONDS);
        }
    }

    /** A minimal TLS 1.2-style ClientHello record with the given extensions block (null: none at all). */
    static byte[] built(byte[] extensions) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {3, 3});
        body.writeBytes(new byte[32]);
        body.write(0);
        body.writeBytes(new byte[] {0, 2, 0x13, 0x01});
        body.writeBytes(new byte[] {1, 0});
        if (extensions != null) body.writeBytes(concat(u16(extensions.length), extensions));
        byte[] message = concat(new byte[] {1}, u24(body.size()), body.toByteArray());
        return concat(new byte[] {22, 3, 1}, u16(message.length), message);
    }

    /** A server_name extension listing the given host names. */
    static byte[] sni(String... names) {
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        for (String name : names) {
            byte[] bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            list.writeBytes(concat(new byte[] {0}, u16(bytes.length), bytes));
        }
        return extension(0, concat(u16(list.size()), list.toByteArray()));
    }

    static byte[] extension(int type, byte[] data) {
        return concat(u16(type), u16(data.length), data);
    }

    /** The same handshake message cut into records of the given sizes. */
    static byte[] split(byte[] record, int... sizes) {
        byte[] message = Arrays.copyOfRange(record, 5, record.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        for (int i = 0; at < message.length; i++) {
            int size = Math.min(i < sizes.length ? sizes[i] : message.length, message.length - at);
            out.writeBytes(concat(new byte[] {22, 3, 1}, u16(size), Arrays.copyOfRange(message, at, at + size)));
            at += size;
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    static byte[] u16(int n) {
        return new byte[] {(byte) (n >> 8), (byte) n};
    }

    static byte[] u24(int n) {
        return new byte[] {(byte) (n >> 16), (byte) (n >> 8), (byte) n};
    }
}
