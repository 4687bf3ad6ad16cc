package dev.corral.host.terminal;

import dev.corral.CorralException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetachKeysTest {
    private static final byte CTRL_P = 0x10;
    private static final byte CTRL_Q = 0x11;

    @Test
    void theDefaultIsCtrlPCtrlQAsInDocker() {
        assertEquals(DetachKeys.parse("ctrl-p,ctrl-q"), DetachKeys.DEFAULT);
        assertEquals("ctrl-p,ctrl-q", DetachKeys.DEFAULT.toString());
    }

    @Test
    void readsDockersKeyNames() {
        assertEquals(DetachKeys.parse("ctrl-a,d"), DetachKeys.parse(" CTRL-A , d"));
        ByteArrayOutputStream forward = new ByteArrayOutputStream();
        byte[] all = {0, 27, 28, 29, 30, 31, 'x'};
        assertTrue(DetachKeys.parse("ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_,x").matcher().feed(all, all.length, forward));
        assertEquals(0, forward.size());
    }

    @Test
    void rejectsWhatIsNoKeyWithAFix() {
        for (String bad : new String[] {"", "ctrl-", "ctrl-1", "ctrl-pq", "p,,q", "ab", "ctrl-p, ", "é"}) {
            CorralException e = assertThrows(CorralException.class, () -> DetachKeys.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("invalid detach keys"), e.getMessage());
            assertTrue(e.fix().orElseThrow().contains("ctrl-p,ctrl-q"));
        }
    }

    @Test
    void theFullSequenceDetachesAndIsNotForwarded() {
        ByteArrayOutputStream forward = new ByteArrayOutputStream();
        byte[] typed = {'l', 's', CTRL_P, CTRL_Q, 'z'};
        assertTrue(DetachKeys.DEFAULT.matcher().feed(typed, typed.length, forward));
        assertArrayEquals(new byte[] {'l', 's'}, forward.toByteArray());
    }

    @Test
    void aSequenceSplitAcrossReadsStillDetaches() {
        DetachKeys.Matcher matcher = DetachKeys.DEFAULT.matcher();
        ByteArrayOutputStream forward = new ByteArrayOutputStream();
        assertFalse(matcher.feed(new byte[] {'a', CTRL_P}, 2, forward));
        assertArrayEquals(new byte[] {'a'}, forward.toByteArray(), "the Ctrl-P is held back");
        assertTrue(matcher.feed(new byte[] {CTRL_Q}, 1, forward));
        assertArrayEquals(new byte[] {'a'}, forward.toByteArray());
    }

    @Test
    void aPartialSequenceIsForwardedOnceTheNextByteBreaksIt() {
        DetachKeys.Matcher matcher = DetachKeys.DEFAULT.matcher();
        ByteArrayOutputStream forward = new ByteArrayOutputStream();
        assertFalse(matcher.feed(new byte[] {CTRL_P}, 1, forward));
        assertFalse(matcher.feed(new byte[] {'x'}, 1, forward));
        assertArrayEquals(new byte[] {CTRL_P, 'x'}, forward.toByteArray());
    }

    @Test
    void aRepeatedFirstKeyIsForwardedOnceAndTheSequenceStillDetaches() {
        ByteArrayOutputStream forward = new ByteArrayOutputStream();
        byte[] typed = {CTRL_P, CTRL_P, CTRL_Q};
        assertTrue(DetachKeys.DEFAULT.matcher().feed(typed, typed.length, forward));
        assertArrayEquals(new byte[] {CTRL_P}, forward.toByteArray());
    }

    @Test
    void aLongerSequenceRestartsInsideABrokenPrefix() {
        DetachKeys keys = DetachKeys.parse("a,a,b");
        ByteArrayOutputStream forward = new ByteArrayOutputStream();
        byte[] typed = {'a', 'a', 'a', 'b'};
        assertTrue(keys.matcher().feed(typed, typed.length, forward));
        assertArrayEquals(new byte[] {'a'}, forward.toByteArray());
    }
}
