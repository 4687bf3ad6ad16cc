package dev.corral.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.corral.it.Attacks.assertNeverShown;
import static dev.corral.it.Attacks.blocked;
import static dev.corral.it.Attacks.plant;
import static dev.corral.it.Attacks.read;
import static dev.corral.it.Attacks.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attacks that try to leave the workspace by the way a path is spelled or resolved: symbolic and
 * hard links, {@code ..}, renaming the workspace or its parents, {@code /proc/PID/root} and
 * {@code cwd} links, mounts, and a workspace chosen so that it holds Corral's own state.
 */
class WorkspaceSymlinkIT {

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void symlinksInTheWorkspaceLeadOnlyIntoTheSandboxsOwnView(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            String secret = token();
            Path outside = corral.root().resolve("outside-" + token());
            Path target = plant(corral, outside.resolve("target.txt"), secret);
            String passwd = read(Path.of("/etc/passwd"));
            CorralHarness.Result r = blocked(corral, Map.of("OUTSIDE", outside.toString(), "TARGET", target.toString()), """
                    ln -s "$TARGET" link-to-file
                    ln -s "$OUTSIDE" link-to-folder
                    ln -s /etc/passwd link-to-passwd
                    ln -s "$OUTSIDE/../.." link-up
                    cat link-to-file link-to-folder/target.txt 2>/dev/null
                    ls -A link-up/ 2>/dev/null
                    attempt 'echo pwned > link-to-file'
                    attempt 'echo pwned > link-to-folder/planted.txt'
                    attempt 'echo pwned >> link-to-passwd'
                    """);
            assertNeverShown(r, secret);
            assertEquals(secret, read(target));
            assertFalse(Files.exists(outside.resolve("planted.txt")), "the sandbox wrote through a symlink");
            assertEquals(passwd, read(Path.of("/etc/passwd")));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void hardLinksToFilesOutsideTheWorkspaceCannotBeMade(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            blocked(corral, """
                    attempt 'ln /etc/passwd passwd-link'
                    attempt 'ln /etc/hostname hostname-link'
                    attempt 'ln /usr/bin/env env-link'
                    echo home > "$HOME/home-file"
                    attempt 'ln "$HOME/home-file" home-link'
                    echo tmp > /tmp/tmp-file
                    attempt 'ln /tmp/tmp-file tmp-link'
                    """);
            for (String link : List.of("passwd-link", "hostname-link", "env-link", "home-link", "tmp-link")) {
                assertFalse(Files.exists(corral.workspace().resolve(link)), () -> "the sandbox made the hard link " + link);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void dotDotPathsOutOfTheWorkspaceNeverReachTheHost(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            String parentFile = "parent-file-" + token();
            plant(corral, corral.workspace().resolveSibling(parentFile), "next to the workspace");
            String probe = "corral-probe-" + token();
            CorralHarness.Result r = blocked(corral, Map.of("PROBE", probe), """
                    ls -A .. ../.. 2>/dev/null
                    echo pwned > ../$PROBE
                    echo pwned > ../../$PROBE
                    mkdir -p ../../$PROBE.d && echo pwned > ../../$PROBE.d/file
                    echo pwned > ../../../../../../../../tmp/$PROBE
                    (cd ../.. && echo pwned > $PROBE-from-cd)
                    """);
            assertNeverShown(r, parentFile);
            Path work = corral.workspace().getParent();
            for (Path landed : List.of(work.resolve(probe), corral.root().resolve(probe), corral.root().resolve(probe + ".d"),
                    Path.of("/tmp", probe), corral.root().resolve(probe + "-from-cd"))) {
                assertFalse(Files.exists(landed), () -> "the sandbox wrote " + landed + " on the host");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void theWorkspaceTheHomeAndTheirParentsCannotBeRenamedAway(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            corral.writeWorkspaceFile("keep.txt", "kept\n");
            blocked(corral, """
                    attempt 'mv "$PWD" "$PWD-moved"'
                    attempt 'mv "$HOME" "$HOME-moved"'
                    mv .. ../../parent-moved 2>/dev/null
                    mkdir -p "$PWD-replacement" 2>/dev/null
                    """);
            assertEquals("kept\n", read(corral.workspace().resolve("keep.txt")));
            Path work = corral.workspace().getParent();
            for (Path moved : List.of(work.resolve("project-moved"), corral.root().resolve("home-moved"),
                    corral.root().resolve("parent-moved"), work.resolve("project-replacement"))) {
                assertFalse(Files.exists(moved), () -> "the sandbox renamed something on the host: " + moved);
            }
            assertTrue(Files.isDirectory(corral.home()));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void mountsAndNewMountNamespacesAreRefused(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            blocked(corral, """
                    mkdir -p mount-target
                    attempt 'mount --bind / mount-target'
                    attempt 'mount -t tmpfs none mount-target'
                    attempt 'mount -o remount,rw /'
                    attempt 'mount -o remount,rw /etc'
                    attempt 'umount /etc/shadow'
                    attempt 'umount -l "$PWD"'
                    attempt 'unshare -m true'
                    attempt 'unshare -Urm true'
                    """);
            assertTrue(isEmptyDirectory(corral.workspace().resolve("mount-target")), "something was mounted into the workspace");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void procRootAndCwdLinksLeadOnlyIntoTheSandbox(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            String secret = token();
            Path outside = corral.root().resolve("outside-" + token());
            plant(corral, outside.resolve("secret.txt"), secret);
            CorralHarness.Result r = blocked(corral, Map.of("OUTSIDE", outside.toString()), """
                    for p in /proc/[0-9]* /proc/self /proc/thread-self; do
                      cat "$p/root$OUTSIDE/secret.txt" "$p/cwd/../../${OUTSIDE##*/}/secret.txt" 2>/dev/null
                      ls -A "$p/root/tmp" "$p/root$OUTSIDE" 2>/dev/null
                    done
                    attempt 'echo pwned > "/proc/1/root$OUTSIDE/planted.txt"'
                    attempt 'echo pwned > "/proc/self/root/../../../$OUTSIDE/planted.txt"'
                    attempt 'echo pwned > "/proc/self/cwd/../../${OUTSIDE##*/}/planted.txt"'
                    """);
            assertNeverShown(r, secret);
            assertFalse(Files.exists(outside.resolve("planted.txt")), "the sandbox wrote through /proc links");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aWorkspaceThatHoldsCorralsOwnStateIsRefused(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            CorralHarness.Result victim = corral.corral("run", "--name", "victim", "--", "true");
            assertEquals(0, victim.exit(), victim::toString);
            Path share = corral.home().resolve(".local/share");
            Path victimState = share.resolve("corral/sandboxes/victim/sandbox.json");
            String before = read(victimState);

            // rewritten settings would give the victim the host's root folder read-write on its next run
            String tampered = before.replace("\"volumes\": []", "\"volumes\": [\"/:/host\"]");
            CorralHarness.Result r = corral.corralIn(share, "run", "--name", "attacker", "-w", share.toString(), "--",
                    "/bin/sh", "-c", "printf '%s' \"$0\" > corral/sandboxes/victim/sandbox.json", tampered);

            assertEquals(before, read(victimState), () -> "the sandbox rewrote another sandbox's settings:\n" + r);
        }
    }

    private static boolean isEmptyDirectory(Path dir) {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
