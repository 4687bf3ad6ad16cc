package dev.corral.net.tls;

import static dev.corral.net.tls.ClientHellos.built;
import static dev.corral.net.tls.ClientHellos.concat;
import static dev.corral.net.tls.ClientHellos.extension;
import static dev.corral.net.tls.ClientHellos.sni;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TlsClientHelloTest {
    private static final int LIMIT = 64 * 1024;
    static List<byte[]> realHellos;

    @BeforeAll
    static void captureRealClientHellos() throws Exception {
        realHellos = List.of(ClientHellos.jdk("api.example.org"), ClientHellos.jdk("api.example.org", "TLSv1.2"),
                ClientHellos.python("pypi.org"), ClientHellos.openssl("-servername", "www.example.net"));
    }

    private static TlsClientHello.Result read(byte[] bytes) throws IOException {
        return TlsClientHello.read(new ByteArrayInputStream(bytes), LIMIT);
    }

    @Test
    void aJdkClientHelloNamesItsServer() throws Exception {
        byte[] hello = ClientHellos.jdk("API.Example.org");

        TlsClientHello.Result result = read(hello);

        assertEquals(Optional.of("api.example.org"), result.serverName());
        assertArrayEquals(hello, result.consumed());
    }

    @Test
    void pythonAndOpensslClientHellosNameTheirServers() throws Exception {
        assertEquals(Optional.of("pypi.org"), read(ClientHellos.python("pypi.org")).serverName());
        assertEquals(Optional.of("www.example.net"), read(ClientHellos.openssl("-servername", "www.example.net")).serverName());
        assertEquals(Optional.of("tls12.example"),
                read(ClientHellos.openssl("-servername", "tls12.example", "-tls1_2")).serverName());
    }

    @Test
    void clientHellosWithoutServerNamesHaveNone() throws Exception {
        assertEquals(Optional.empty(), read(ClientHellos.jdk(null)).serverName());
        assertEquals(Optional.empty(), read(ClientHellos.python(null)).serverName());
        assertEquals(Optional.empty(), read(ClientHellos.openssl("-noservername")).serverName());
        assertEquals(Optional.empty(), read(built(null)).serverName(), "a TLS 1.2 hello may have no extensions");
        assertEquals(Optional.empty(), read(built(extension(10, new byte[] {0, 2, 0, 23}))).serverName());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void aHandshakeSplitOverSeveralRecordsIsReassembled(long seed) throws Exception {
        Random random = new Random(seed);
        byte[] hello = realHellos.get(random.nextInt(realHellos.size()));
        int[] sizes = random.ints(200, 1, 64).toArray();
        byte[] split = ClientHellos.split(hello, sizes);
        byte[] after = "after the hello".getBytes(StandardCharsets.US_ASCII);
        ByteArrayInputStream in = new ByteArrayInputStream(concat(split, after));

        TlsClientHello.Result result = TlsClientHello.read(in, LIMIT);

        assertArrayEquals(split, result.consumed());
        assertEquals(read(hello).serverName(), result.serverName());
        assertArrayEquals(after, in.readAllBytes(), "nothing past the ClientHello is read");
    }

    @Test
    void nothingPastTheClientHelloRecordIsRead() throws Exception {
        byte[] hello = ClientHellos.jdk("example.org");
        byte[] changeCipherSpec = {20, 3, 3, 0, 1, 1};
        ByteArrayInputStream in = new ByteArrayInputStream(concat(hello, changeCipherSpec));

        TlsClientHello.read(in, LIMIT);

        assertArrayEquals(changeCipherSpec, in.readAllBytes());
    }

    @Test
    void plainHttpIsRefusedAfterOneByte() {
        byte[] request = "GET / HTTP/1.1\r\nHost: example.org\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

        TlsClientHello.NotTls e = assertThrows(TlsClientHello.NotTls.class, () -> read(request));

        assertArrayEquals(new byte[] {'G'}, e.consumed());
    }

    @Test
    void theLimitCountsEveryByteRead() throws Exception {
        byte[] hello = ClientHellos.split(ClientHellos.jdk("example.org"), 100, 100);

        assertEquals(Optional.of("example.org"), TlsClientHello.read(new ByteArrayInputStream(hello), hello.length).serverName());
        assertThrows(TlsClientHello.NotTls.class, () -> TlsClientHello.read(new ByteArrayInputStream(hello), hello.length - 1));
        byte[] oversizedRecord = concat(new byte[] {22, 3, 1, 0x40, 0x01}, new byte[0x4001]);
        assertThrows(TlsClientHello.NotTls.class, () -> read(oversizedRecord), "a record over 16 KiB");
        byte[] hugeHello = concat(new byte[] {22, 3, 1, 0, 4, 1}, ClientHellos.u24(70_000), new byte[70_000]);
        TlsClientHello.NotTls e = assertThrows(TlsClientHello.NotTls.class, () -> read(hugeHello));
        assertEquals(9, e.consumed().length, "refused as soon as the length is known");
    }

    @Test
    void everyTruncationIsRefused() throws Exception {
        for (byte[] hello : realHellos) {
            byte[] split = ClientHellos.split(hello, 50, 7, 300);
            for (byte[] whole : List.of(hello, split)) {
                for (int length = 0; length < whole.length; length++) {
                    int n = length;
                    assertThrows(TlsClientHello.NotTls.class, () -> read(Arrays.copyOf(whole, n)), "cut at " + n);
                }
            }
        }
    }

    @Test
    void malformedClientHellosAreRefused() {
        List<byte[]> malformed = List.of(
                built(concat(sni("a.example"), sni("b.example"))),
                built(sni("a.example", "b.example")),
                built(sni("bücher.example")),
                built(sni("a b.example")),
                built(sni("")),
                built(sni()),
                built(extension(0, new byte[] {0, 5, 0, 0, 9, 'a'})),
                built(extension(0, new byte[] {0, 4, 1, 0, 1, 'a'})),
                built(concat(sni("a.example"), new byte[] {0, 1})),
                built(new byte[] {0, 10, 0, 4}),
                withByte(built(null), 5, 2),
                withByte(built(null), 43, 33),
                withByte(built(null), 0, 23),
                withByte(built(null), 1, 2),
                new byte[] {22, 3, 1, 0, 0},
                extraInsideTheRecord(built(sni("a.example"))));
        for (int i = 0; i < malformed.size(); i++) {
            byte[] bytes = malformed.get(i);
            assertThrows(TlsClientHello.NotTls.class, () -> read(bytes), "case " + i);
        }
    }

    @Test
    void aServerNameIsLowerCasedAscii() throws Exception {
        assertEquals(Optional.of("my_host-1.example.org"), read(built(sni("My_Host-1.Example.ORG"))).serverName());
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14, 15, 16, 17, 18})
    void mutatedClientHellosEitherParseOrAreRefusedCleanly(long seed) {
        Random random = new Random(seed);
        for (int round = 0; round < 400; round++) {
            byte[] hello = realHellos.get(random.nextInt(realHellos.size()));
            byte[] mutated = random.nextBoolean() ? hello.clone() : ClientHellos.split(hello, random.ints(10, 1, 400).toArray());
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(4) == 0) mutated = Arrays.copyOf(mutated, random.nextInt(mutated.length));
            ByteArrayInputStream in = new ByteArrayInputStream(mutated);
            try {
                TlsClientHello.Result result = TlsClientHello.read(in, LIMIT);
                assertArrayEquals(Arrays.copyOf(mutated, result.consumed().length), result.consumed());
                result.serverName().ifPresent(name -> assertTrue(name.matches("[a-z0-9._-]+"), name));
            } catch (TlsClientHello.NotTls e) {
                assertFalse(e.getMessage().contains("\n"));
                assertArrayEquals(Arrays.copyOf(mutated, e.consumed().length), e.consumed());
            } catch (Exception | Error e) {
                fail("seed " + seed + " round " + round + ": " + e, e);
            }
        }
    }

    private static byte[] withByte(byte[] bytes, int index, int value) {
        byte[] copy = bytes.clone();
        copy[index] = (byte) value;
        return copy;
    }

    /** The record claims more bytes than the ClientHello inside it uses. */
    private static byte[] extraInsideTheRecord(byte[] record) {
        byte[] longer = concat(record, new byte[] {1, 2, 3});
        int length = record.length - 5 + 3;
        longer[3] = (byte) (length >> 8);
        longer[4] = (byte) length;
        return longer;
    }
}
