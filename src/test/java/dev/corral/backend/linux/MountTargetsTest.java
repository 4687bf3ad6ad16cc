package dev.corral.backend.linux;

import dev.corral.sandbox.SandboxException;
import dev.corral.sandbox.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MountTargetsTest {
    private static final Path HOME = Path.of("/home/alice");

    @TempDir
    Path tmp;

    private List<MountTargets.Base> bases(Path sandboxHome) {
        return List.of(new MountTargets.Base(HOME, sandboxHome));
    }

    @Test
    void missingFoldersAndAFileMountPointAreMadeFromTheHostSide() throws IOException {
        Path sandboxHome = Files.createDirectories(tmp.resolve("home"));
        Path folder = Files.createDirectories(tmp.resolve("volume/.agent"));
        Path file = Files.writeString(tmp.resolve("token"), "t");

        MountTargets.prepare(bases(sandboxHome), List.of(new Volume(folder, HOME.resolve(".config/agent"), false),
                new Volume(file, HOME.resolve(".cache/agent/token.json"), true)));

        assertTrue(Files.isDirectory(sandboxHome.resolve(".config/agent"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isRegularFile(sandboxHome.resolve(".cache/agent/token.json"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aLinkOnTheWayStopsTheLaunchAndNothingIsMadeWhereItLeads() throws IOException {
        Path sandboxHome = Files.createDirectories(tmp.resolve("home"));
        Path victim = Files.createDirectories(tmp.resolve("victim"));
        Files.createSymbolicLink(sandboxHome.resolve(".config"), victim);

        SandboxException e = assertThrows(SandboxException.class, () -> MountTargets.prepare(bases(sandboxHome),
                List.of(new Volume(Files.createDirectories(tmp.resolve("v")), HOME.resolve(".config/agent"), false))));

        assertTrue(e.getMessage().contains(sandboxHome.resolve(".config") + " is a link"), e.getMessage());
        assertFalse(Files.exists(victim.resolve("agent")));
    }

    @Test
    void aLinkAsTheMountPointItselfStopsTheLaunchEvenWhenItLeadsNowhere() throws IOException {
        Path sandboxHome = Files.createDirectories(tmp.resolve("home/.agent"));
        Files.createSymbolicLink(sandboxHome.resolve("token.json"), tmp.resolve("nowhere/etc-nologin"));
        Path file = Files.writeString(tmp.resolve("token"), "t");

        assertThrows(SandboxException.class, () -> MountTargets.prepare(bases(sandboxHome.getParent()),
                List.of(new Volume(file, HOME.resolve(".agent/token.json"), true))));
        assertFalse(Files.exists(tmp.resolve("nowhere")));
    }

    @Test
    void aMountInsideAnEarlierMountIsCheckedInThatMountsHostFolder() throws IOException {
        Path sandboxHome = Files.createDirectories(tmp.resolve("home"));
        Path data = Files.createDirectories(tmp.resolve("data"));
        Path file = Files.writeString(tmp.resolve("token"), "t");

        MountTargets.prepare(bases(sandboxHome), List.of(new Volume(data, HOME.resolve("data"), false),
                new Volume(file, HOME.resolve("data/sub/token"), true)));

        assertTrue(Files.isRegularFile(data.resolve("sub/token")));
        assertFalse(Files.exists(sandboxHome.resolve("data/sub")));
    }

    @Test
    void mountsOutsideTheWritablePlacesAreLeftToBubblewrap() throws IOException {
        Path sandboxHome = Files.createDirectories(tmp.resolve("home"));

        MountTargets.prepare(bases(sandboxHome), List.of(new Volume(tmp, Path.of("/run/corral-agents/claude"), true)));

        try (var entries = Files.list(sandboxHome)) {
            assertEquals(List.of(), entries.toList());
        }
    }
}
