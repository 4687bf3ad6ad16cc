package dev.corral.host.terminal;

import org.junit.jupiter.api.Test;

import java.net.ProtocolException;
import java.nio.ByteBuffer;

import static dev.corral.host.terminal.ConsoleFrames.Sender.CLIENT;
import static dev.corral.host.terminal.ConsoleFrames.Sender.SERVER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConsoleFramesTest {

    @Test
    void framesAreATypeABigEndianLengthAndThePayload() {
        assertArrayEquals(new byte[] {1, 0, 0, 0, 2, 'h', 'i'}, ConsoleFrames.data("hi".getBytes(), 0, 2));
        assertArrayEquals(new byte[] {2, 0, 0, 0, 4, 0, 24, 1, 44}, ConsoleFrames.resize(new WindowSize(24, 300)));
        assertArrayEquals(new byte[] {3, 0, 0, 0, 4, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFE}, ConsoleFrames.exit(-2));
    }

    @Test
    void decodesWhatItEncodes() throws ProtocolException {
        ByteBuffer in = concat(ConsoleFrames.data("abc".getBytes(), 0, 3), ConsoleFrames.resize(new WindowSize(65535, 1)));
        ConsoleFrames.Data data = (ConsoleFrames.Data) ConsoleFrames.next(in, CLIENT);
        assertEquals("abc", text(data.bytes()));
        assertEquals(new ConsoleFrames.Resize(new WindowSize(65535, 1)), ConsoleFrames.next(in, CLIENT));
        assertNull(ConsoleFrames.next(in, CLIENT));
        assertEquals(new ConsoleFrames.Exit(255), ConsoleFrames.next(ByteBuffer.wrap(ConsoleFrames.exit(255)), SERVER));
    }

    @Test
    void anIncompleteFrameWaitsForTheRestWithoutConsumingAnything() throws ProtocolException {
        byte[] frame = ConsoleFrames.data("hello".getBytes(), 0, 5);
        for (int cut = 0; cut < frame.length; cut++) {
            ByteBuffer in = ByteBuffer.wrap(frame, 0, cut);
            assertNull(ConsoleFrames.next(in, SERVER));
            assertEquals(0, in.position());
        }
        assertEquals("hello", text(((ConsoleFrames.Data) ConsoleFrames.next(ByteBuffer.wrap(frame), SERVER)).bytes()));
    }

    @Test
    void rejectsUnknownTypesAndTypesFromTheWrongSide() {
        assertThrows(ProtocolException.class, () -> ConsoleFrames.next(ByteBuffer.wrap(new byte[] {9, 0, 0, 0, 0}), CLIENT));
        assertThrows(ProtocolException.class, () -> ConsoleFrames.next(ByteBuffer.wrap(ConsoleFrames.exit(0)), CLIENT));
        assertThrows(ProtocolException.class, () -> ConsoleFrames.next(ByteBuffer.wrap(ConsoleFrames.resize(new WindowSize(1, 1))), SERVER));
    }

    @Test
    void rejectsOversizedFramesBeforeTheirPayloadArrives() {
        ByteBuffer huge = ByteBuffer.allocate(5).put((byte) 1).putInt(ConsoleFrames.MAX_PAYLOAD + 1).flip();
        assertThrows(ProtocolException.class, () -> ConsoleFrames.next(huge, CLIENT));
        ByteBuffer negative = ByteBuffer.allocate(5).put((byte) 1).putInt(-1).flip();
        assertThrows(ProtocolException.class, () -> ConsoleFrames.next(negative, CLIENT));
        assertThrows(IllegalArgumentException.class, () -> ConsoleFrames.data(new byte[ConsoleFrames.MAX_PAYLOAD + 1], 0, ConsoleFrames.MAX_PAYLOAD + 1));
    }

    @Test
    void rejectsResizeAndExitPayloadsOfTheWrongSizeAndEmptyWindows() {
        assertThrows(ProtocolException.class, () -> ConsoleFrames.next(ByteBuffer.wrap(new byte[] {2, 0, 0, 0, 2, 0, 24}), CLIENT));
        assertThrows(ProtocolException.class, () -> ConsoleFrames.next(ByteBuffer.wrap(new byte[] {3, 0, 0, 0, 0}), SERVER));
        assertThrows(ProtocolException.class, () -> ConsoleFrames.next(ByteBuffer.wrap(new byte[] {2, 0, 0, 0, 4, 0, 0, 0, 80}), CLIENT));
    }

    private static ByteBuffer concat(byte[]... frames) {
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        for (byte[] frame : frames) buffer.put(frame);
        return buffer.flip();
    }

    private static String text(ByteBuffer bytes) {
        byte[] copy = new byte[bytes.remaining()];
        bytes.duplicate().get(copy);
        return new String(copy);
    }
}
