package dev.corral.backend.docker.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The engine's multiplexed output of a process without a terminal, split back into stdout and stderr. */
class StreamFramesTest {

    private static void frame(ByteArrayOutputStream out, int stream, byte[] data) {
        int n = data.length;
        out.writeBytes(new byte[]{(byte) stream, 0, 0, 0, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        out.writeBytes(data);
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Hands out at most {@code most} bytes per read, as a socket may. */
    private static InputStream trickling(byte[] bytes, int most) {
        return new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, most));
            }
        };
    }

    @Test
    void framesGoToTheirStreamsInOrder() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        frame(wire, 1, text("out one\n"));
        frame(wire, 2, text("err one\n"));
        frame(wire, 1, text("out two\n"));
        frame(wire, 2, new byte[0]);
        frame(wire, 2, text("err two"));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();

        StreamFrames.copy(new ByteArrayInputStream(wire.toByteArray()), stdout, stderr);

        assertEquals("out one\nout two\n", stdout.toString(StandardCharsets.UTF_8));
        assertEquals("err one\nerr two", stderr.toString(StandardCharsets.UTF_8));
    }

    static Stream<Long> seeds() {
        return Stream.of(1L, 2L, 3L, 0xFEEDL, 31337L);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void randomFramesLargeOnesIncludedSplitExactlyWhateverTheReadSizes(long seed) throws IOException {
        Random random = new Random(seed);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteArrayOutputStream expectedOut = new ByteArrayOutputStream();
        ByteArrayOutputStream expectedErr = new ByteArrayOutputStream();
        for (int i = 0; i < 40; i++) {
            int size = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(16);
                case 2 -> random.nextInt(70_000);
                default -> 65_536 * 3 + random.nextInt(200_000); // larger than the copy buffer
            };
            byte[] data = new byte[size];
            random.nextBytes(data);
            boolean err = random.nextBoolean();
            frame(wire, err ? 2 : 1, data);
            (err ? expectedErr : expectedOut).writeBytes(data);
        }
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();

        StreamFrames.copy(trickling(wire.toByteArray(), 1 + random.nextInt(9000)), stdout, stderr);

        assertArrayEquals(expectedOut.toByteArray(), stdout.toByteArray());
        assertArrayEquals(expectedErr.toByteArray(), stderr.toByteArray());
    }

    @Test
    void aFrameOfSixteenMegabytesArrivesWhole() throws IOException {
        byte[] big = new byte[16 << 20];
        new Random(5).nextBytes(big);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        frame(wire, 1, big);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();

        StreamFrames.copy(new ByteArrayInputStream(wire.toByteArray()), stdout, new ByteArrayOutputStream());

        assertArrayEquals(big, stdout.toByteArray());
    }

    @Test
    void aStreamCutInsideAFrameEndsQuietlyWithWhatArrived() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        frame(wire, 1, text("complete\n"));
        frame(wire, 2, text("cut off here"));
        byte[] bytes = Arrays.copyOf(wire.toByteArray(), wire.size() - 5);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();

        StreamFrames.copy(new ByteArrayInputStream(bytes), stdout, stderr);

        assertEquals("complete\n", stdout.toString(StandardCharsets.UTF_8));
        assertEquals("cut off", stderr.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aStreamCutInsideAHeaderEndsQuietly() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        frame(wire, 1, text("only this"));
        wire.writeBytes(new byte[]{2, 0, 0});
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();

        StreamFrames.copy(new ByteArrayInputStream(wire.toByteArray()), stdout, stderr);

        assertEquals("only this", stdout.toString(StandardCharsets.UTF_8));
        assertEquals(0, stderr.size());
    }

    @Test
    void anEmptyStreamWritesNothing() throws IOException {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();

        StreamFrames.copy(InputStream.nullInputStream(), stdout, stderr);

        assertEquals(0, stdout.size() + stderr.size());
    }
}
