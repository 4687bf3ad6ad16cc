package dev.corral.image;

import dev.corral.host.Executables;
import dev.corral.host.Identity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the host offers for building a root filesystem: who runs Corral, which builder is
 * installed, and whether mmdebstrap's unshare mode (its way to build without root) can work.
 *
 * @param idMappers whether {@code newuidmap} and {@code newgidmap} are installed
 * @param subuid    the lines of {@code /etc/subuid}; {@code subgid} likewise
 */
record BuildHost(boolean root, String user, Optional<Path> mmdebstrap, Optional<Path> debootstrap, boolean idMappers,
                 List<String> subuid, List<String> subgid) {

    static BuildHost current(Identity identity) {
        boolean idMappers = Executables.find("newuidmap").isPresent() && Executables.find("newgidmap").isPresent();
        return new BuildHost(identity.isRoot(), identity.user(), Executables.find("mmdebstrap"), Executables.find("debootstrap"),
                idMappers, lines(Path.of("/etc/subuid")), lines(Path.of("/etc/subgid")));
    }

    /** What mmdebstrap's unshare mode lacks here; empty when it can run (the kernel may still refuse: it says so then). */
    List<String> unshareGaps() {
        List<String> gaps = new java.util.ArrayList<>();
        if (!idMappers) gaps.add("newuidmap and newgidmap (package uidmap)");
        if (!hasRange(subuid)) gaps.add("a range for " + user + " in /etc/subuid");
        if (!hasRange(subgid)) gaps.add("a range for " + user + " in /etc/subgid");
        return gaps;
    }

    /** The commands that fill the {@link #unshareGaps}. */
    List<String> unshareFixes() {
        List<String> fixes = new java.util.ArrayList<>();
        if (!idMappers) fixes.add("sudo apt-get install uidmap");
        if (!hasRange(subuid) || !hasRange(subgid)) fixes.add("sudo usermod --add-subuids 100000-165535 --add-subgids 100000-165535 " + user);
        return fixes;
    }

    /** mmdebstrap looks the user up by name: {@code NAME:FIRST:COUNT}. */
    private boolean hasRange(List<String> lines) {
        return lines.stream().map(line -> line.strip().split(":")).anyMatch(f -> f.length == 3 && f[0].equals(user));
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }
}
