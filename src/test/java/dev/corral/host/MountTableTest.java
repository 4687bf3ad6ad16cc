package dev.corral.host;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MountTableTest {
    private static final List<String> MOUNTINFO = List.of(
            "22 1 254:0 / / rw,relatime - ext4 /dev/vda rw",
            "30 22 0:25 / /data rw - tmpfs tmpfs rw",
            "31 30 254:0 /x /data/sub rw - ext4 /dev/vda rw",
            "32 30 254:0 /y /data/with\\040space rw - ext4 /dev/vda rw",
            "33 22 254:0 /z /database rw - ext4 /dev/vda rw");

    @Test
    void onlyMountsStrictlyBelowTheFolderCount() {
        assertEquals(List.of(Path.of("/data/sub"), Path.of("/data/with space")), MountTable.mountsUnder(Path.of("/data"), MOUNTINFO));
        assertEquals(List.of(), MountTable.mountsUnder(Path.of("/data/sub"), MOUNTINFO));
        assertEquals(List.of(), MountTable.mountsUnder(Path.of("/dat"), MOUNTINFO), "a prefix of a name is not a parent");
    }

    @Test
    void octalEscapesAreDecoded() {
        assertEquals("a b\tc\\d", MountTable.unescape("a\\040b\\011c\\134d"));
        assertEquals("plain\\x", MountTable.unescape("plain\\x"));
    }
}
