package dev.corral.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.corral.it.Attacks.assertNeverShown;
import static dev.corral.it.Attacks.blocked;
import static dev.corral.it.Attacks.plant;
import static dev.corral.it.Attacks.read;
import static dev.corral.it.Attacks.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attacks from inside a sandbox on the host's filesystem outside the workspace: system folders,
 * the user's home, other projects, other sandboxes, /tmp, /run, /dev, /proc, /sys, sockets, and
 * programs left behind with more rights than they should have. Each test checks inside (the
 * attack fails) and, where something could land, on the host afterwards.
 */
class FilesystemEscapeIT {
    private static final long TMP_LIMIT_KIB = 1L << 20;

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void theRootAndTheSystemFoldersAreReadOnly(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            String probe = "corral-probe-" + token();
            String passwd = read(Path.of("/etc/passwd"));
            blocked(corral, Map.of("PROBE", probe), """
                    for dir in / /usr /usr/local/bin /usr/lib /etc /opt /bin /sbin /lib; do
                      attempt "echo pwned > $dir/$PROBE"
                      attempt "mkdir $dir/$PROBE.d"
                    done
                    attempt 'echo "pwned::0:0::/:/bin/sh" >> /etc/passwd'
                    attempt 'touch /etc/hosts'
                    attempt 'chmod 777 /usr/bin'
                    attempt 'rm -f /etc/hostname'
                    """);
            for (String dir : List.of("/", "/usr", "/usr/local/bin", "/usr/lib", "/etc", "/opt")) {
                assertFalse(Files.exists(Path.of(dir, probe)), () -> "the sandbox wrote into " + dir);
                assertFalse(Files.exists(Path.of(dir, probe + ".d")), () -> "the sandbox made a folder in " + dir);
            }
            assertEquals(passwd, read(Path.of("/etc/passwd")));
            assertTrue(Files.exists(Path.of("/etc/hostname")));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void runAndVarShowNothingOfTheHostAndCannotBeWritten(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            String probe = "corral-probe-" + token();
            blocked(corral, Map.of("PROBE", probe), """
                    for entry in /run/* /run/.[!.]* /var/* /var/.[!.]*; do
                      case "$entry" in /var/tmp|/run/corral) continue ;; esac
                      if [ -e "$entry" ] || [ -L "$entry" ]; then escaped "sees host entry $entry"; fi
                    done
                    for entry in /run/corral/* /run/corral/.[!.]*; do
                      case "${entry##*/}" in proxy.sock|ca-bundle.pem|corral-ca.pem|truststore.p12|.trust-files.stamp|'*'|'.[!.]*') ;; *) escaped "sees $entry in Corral's folder" ;; esac
                    done
                    attempt 'echo pwned > /run/corral/$PROBE'
                    attempt 'rm -f /run/corral/proxy.sock'
                    attempt 'echo pwned > /run/$PROBE'
                    attempt 'mkdir -p /run/user/0/$PROBE'
                    attempt 'echo pwned > /var/$PROBE'
                    attempt 'mkdir -p /var/lib/$PROBE'
                    echo private > /var/tmp/$PROBE
                    """);
            for (String dir : List.of("/run", "/var", "/var/lib", "/var/tmp")) {
                assertFalse(Files.exists(Path.of(dir, probe)), () -> "the sandbox wrote into the host's " + dir);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void theUsersRealHomeIsReplacedByAPrivateOneAtTheSamePath(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            String fileName = "secret-" + token();
            String secret = token();
            String key = token();
            plant(corral, corral.home().resolve(fileName), secret);
            plant(corral, corral.home().resolve(".ssh/id_ed25519"), key);
            CorralHarness.Result r = blocked(corral, """
                    echo "HOME=$HOME"
                    ls -A "$HOME"
                    cat "$HOME"/secret-* "$HOME/.ssh/id_ed25519" 2>/dev/null
                    echo 'echo pwned' >> "$HOME/.bashrc"
                    mkdir -p "$HOME/.ssh" && echo "ssh-ed25519 AAAA attacker" >> "$HOME/.ssh/authorized_keys"
                    """);
            assertTrue(r.stdout().contains("HOME=" + corral.home() + "\n"), r::toString);
            assertNeverShown(r, fileName);
            assertNeverShown(r, secret);
            assertNeverShown(r, key);
            assertFalse(Files.exists(corral.home().resolve(".bashrc")), "the sandbox wrote the real ~/.bashrc");
            assertFalse(Files.exists(corral.home().resolve(".ssh/authorized_keys")), "the sandbox wrote the real ~/.ssh");
            assertEquals(key, read(corral.home().resolve(".ssh/id_ed25519")));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void filesInTheSandboxHomeSurviveTheNextRunButNeverReachTheRealHome(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            String content = token();
            Attacks.ran(corral, Map.of("CONTENT", content), "echo \"$CONTENT\" > \"$HOME/persisted.txt\"");
            CorralHarness.Result second = Attacks.ran(corral, Map.of(), "cat \"$HOME/persisted.txt\"");

            assertTrue(second.stdout().contains(content), () -> "the sandbox home did not persist:\n" + second);
            assertFalse(Files.exists(corral.home().resolve("persisted.txt")), "the file reached the real home");
            String name = corral.corral("ls", "--json").stdout().replaceAll("(?s).*\"name\"\s*:\s*\"([^\"]+)\".*", "$1");
            assertTrue(Files.exists(corral.sandboxHome(name).resolve("persisted.txt")), "the file is not in the sandbox's own home");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void siblingFoldersOfTheWorkspaceAreInvisible(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            String siblingName = "sibling-" + token();
            String secret = token();
            Path sibling = corral.workspace().resolveSibling(siblingName);
            plant(corral, sibling.resolve("secret.txt"), secret);
            CorralHarness.Result r = blocked(corral, Map.of("SIBLING", sibling.toString()), """
                    ls -A ..
                    cat "$SIBLING/secret.txt" 2>/dev/null
                    attempt 'echo pwned > "$SIBLING/planted.txt"'
                    attempt 'echo pwned > "$SIBLING/secret.txt"'
                    """);
            assertNeverShown(r, siblingName);
            assertNeverShown(r, secret);
            assertFalse(Files.exists(sibling.resolve("planted.txt")), "the sandbox wrote into a sibling project");
            assertEquals(secret, read(sibling.resolve("secret.txt")));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void otherSandboxesHomesAndCorralsStateAreOutOfReach(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            String secret = token();
            CorralHarness.Result other = corral.corral("run", "--name", "other", "--", "/bin/sh", "-c", "echo " + secret + " > ~/secret.txt");
            assertEquals(0, other.exit(), other::toString);
            Path data = corral.home().resolve(".local/share/corral");
            Path otherDir = data.resolve("sandboxes/other");
            Path otherHome = corral.sandboxHome("other");
            String otherState = read(otherDir.resolve("sandbox.json"));

            CorralHarness.Result r = blocked(corral, Map.of("DATA", data.toString(), "OTHER", otherDir.toString(), "OTHER_HOME", otherHome.toString(),
                    "RUNTIME", corral.root().resolve("run").toString()), """
                    cat "$OTHER/home/secret.txt" "$OTHER_HOME/secret.txt" 2>/dev/null
                    ls -AR "$DATA" "$RUNTIME" 2>/dev/null
                    for found in $(find "$HOME" /tmp -name sandbox.json 2>/dev/null); do escaped "sees state $found"; done
                    attempt 'echo pwned > "$OTHER/home/planted.txt"'
                    attempt 'echo pwned > "$OTHER_HOME/planted.txt"'
                    attempt 'echo "{}" > "$OTHER/sandbox.json"'
                    attempt 'ls "$RUNTIME/corral"'
                    """);
            assertNeverShown(r, secret);
            assertEquals(otherState, read(otherDir.resolve("sandbox.json")));
            assertFalse(Files.exists(otherHome.resolve("planted.txt")), "the sandbox wrote into another sandbox's home");
            assertEquals(secret + "\n", read(otherHome.resolve("secret.txt")));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void theHostsTmpIsInvisibleAndTmpWritesStayInside(Invoker invoker, SandboxBackend backend) throws IOException {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            String hostName = "corral-host-" + token();
            String secret = token();
            String probe = "corral-inside-" + token();
            Path hostFile = plant(corral, Path.of("/tmp", hostName), secret);
            try {
                CorralHarness.Result r = blocked(corral, Map.of("PROBE", probe), """
                        ls -A /tmp /var/tmp
                        cat /tmp/corral-host-* 2>/dev/null
                        echo private > /tmp/$PROBE
                        """);
                assertNeverShown(r, hostName);
                assertNeverShown(r, secret);
                assertFalse(Files.exists(Path.of("/tmp", probe)), "a file written to /tmp inside reached the host's /tmp");
            } finally {
                Files.deleteIfExists(hostFile);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void tmpIsSizeLimited(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            CorralHarness.Result r = blocked(corral, """
                    echo "tmp-size-kib=$(df -k /tmp | awk 'NR == 2 { print $2 }')"
                    fallocate -l 900M /tmp/fits || echo "could not even use 900 MiB of /tmp"
                    rm -f /tmp/fits
                    attempt 'fallocate -l 1100M /tmp/too-big'
                    attempt 'head -c 1100M /dev/zero > /tmp/too-big-written'
                    """);
            assertFalse(r.stdout().contains("could not even"), r::toString);
            long size = Long.parseLong(match(r.stdout(), "tmp-size-kib=(\\d+)"));
            assertTrue(size <= TMP_LIMIT_KIB, () -> "/tmp is " + size + " KiB, more than the default limit:\n" + r);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void devShmIsPrivate(Invoker invoker, SandboxBackend backend) throws IOException {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            String hostName = "corral-host-" + token();
            String probe = "corral-inside-" + token();
            Path hostFile = plant(corral, Path.of("/dev/shm", hostName), "host shared memory");
            try {
                CorralHarness.Result r = blocked(corral, Map.of("PROBE", probe), """
                        ls -A /dev/shm
                        echo private > /dev/shm/$PROBE
                        """);
                assertNeverShown(r, hostName);
                assertFalse(Files.exists(Path.of("/dev/shm", probe)), "a file written to /dev/shm inside reached the host");
            } finally {
                Files.deleteIfExists(hostFile);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void devShmAndDevCannotHoldMoreThanTheTmpLimit(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            blocked(corral, """
                    attempt 'fallocate -l 1100M /dev/shm/too-big'
                    rm -f /dev/shm/too-big
                    attempt 'fallocate -l 1100M /dev/too-big'
                    rm -f /dev/too-big
                    """);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void shadowClassFilesAreUnreadable(Invoker invoker, SandboxBackend backend) throws IOException {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            CorralHarness.Result r = blocked(corral, """
                    for f in /etc/shadow /etc/shadow- /etc/gshadow /etc/gshadow- /etc/sudoers /etc/security/opasswd /etc/ssh/ssh_host_*_key; do
                      cat "$f" 2>/dev/null
                      if grep -qs . "$f"; then escaped "read $f"; fi
                    done
                    """);
            Path shadow = Path.of("/etc/shadow");
            if (Files.isRegularFile(shadow)) {
                for (String line : Files.readAllLines(shadow)) {
                    if (!line.isBlank()) assertNeverShown(r, line);
                }
            }
            assertFalse(r.stdout().contains("PRIVATE KEY"), r::toString);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void systemFilesOthersMayNotReadStayUnreadable(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            String restricted = CorralHarness.run("sh", "-c",
                    "find /etc /opt /usr -xdev \\( -type f -o -type d \\) ! -perm -o=r 2>/dev/null; true");
            corral.writeWorkspaceFile("restricted-paths.txt", restricted);
            blocked(corral, """
                    while IFS= read -r path; do
                      if [ -d "$path" ]; then
                        if [ -n "$(ls -A "$path" 2>/dev/null)" ]; then escaped "listed $path"; fi
                      elif [ -c "$path" ]; then
                        : # masked by the null device: nothing to read
                      elif cat "$path" >/dev/null 2>&1; then
                        escaped "read $path"
                      fi
                    done < restricted-paths.txt
                    """);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void kernelSettingsUnderProcSysAreReadOnly(Invoker invoker, SandboxBackend backend) throws IOException {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            Path hostname = Path.of("/proc/sys/kernel/hostname");
            Path swappiness = Path.of("/proc/sys/vm/swappiness");
            String hostnameBefore = Files.readString(hostname);
            String swappinessBefore = Files.readString(swappiness);
            blocked(corral, """
                    writable=$(find /proc/sys -type f -writable 2>/dev/null)
                    if [ -n "$writable" ]; then
                      escaped "$(echo "$writable" | wc -l) writable files under /proc/sys, e.g.:" $(echo "$writable" | head -n 8)
                    fi
                    attempt 'v=$(cat /proc/sys/vm/swappiness); echo "$v" > /proc/sys/vm/swappiness'
                    attempt 'echo 1 > /proc/sys/vm/drop_caches'
                    attempt 'echo corral-probe > /proc/sys/kernel/hostname'
                    attempt 'echo corral-probe > /proc/sys/kernel/domainname'
                    """);
            assertEquals(hostnameBefore, Files.readString(hostname));
            assertEquals(swappinessBefore, Files.readString(swappiness));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void sysrqKernelMemoryAndKernelLogsAreOutOfReach(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            blocked(corral, """
                    attempt 'echo h > /proc/sysrq-trigger'
                    attempt 'test -n "$(head -c 16 /proc/kcore)"'
                    attempt 'test -n "$(head -c 16 /dev/core)"'
                    attempt 'test -n "$(head -c 16 /dev/mem)"'
                    attempt 'test -n "$(timeout 2 head -c 16 /proc/kmsg)"'
                    attempt 'test -n "$(timeout 2 head -c 16 /dev/kmsg)"'
                    attempt 'grep -q "^[0-9a-f]*[1-9a-f][0-9a-f]* " /proc/kallsyms'
                    attempt 'grep -q . /proc/keys'
                    attempt 'grep -q . /proc/timer_list'
                    """);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void sysIsAbsentOrReadOnly(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            blocked(corral, """
                    if [ -d /sys ]; then
                      for f in $(find /sys -type f -writable 2>/dev/null | head -n 8); do escaped "writable $f"; done
                      attempt 'ls /sys/block | grep -q .'
                    fi
                    mkdir -p /tmp/sys
                    attempt 'mount -t sysfs sysfs /tmp/sys'
                    attempt 'mount -t cgroup2 none /tmp/sys'
                    """);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void devHoldsOnlyHarmlessDevices(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            blocked(corral, """
                    for dev in /dev/* /dev/.[!.]*; do
                      [ -e "$dev" ] || [ -L "$dev" ] || continue
                      case "${dev#/dev/}" in
                        null|zero|full|random|urandom|tty|console|ptmx|pts|shm|mqueue|fd|stdin|stdout|stderr|core) ;;
                        *) escaped "device $dev" ;;
                      esac
                    done
                    for pty in /dev/pts/*; do
                      [ "$pty" = /dev/pts/ptmx ] || escaped "host terminal $pty"
                    done
                    for dev in $(find /dev /tmp /run /var "$HOME" "$PWD" -type b 2>/dev/null); do escaped "block device $dev"; done
                    """);
        }
    }

    /** The devices in the sandbox's /dev are the host's own inodes; every change here is a no-op if it gets through. */
    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void theHostsDeviceNodesCannotBeChangedThroughTheSandboxsDev(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            String before = CorralHarness.run("stat", "-c", "%a %u %g %Y %n", "/dev/null", "/dev/zero", "/dev/full", "/dev/urandom", "/dev/tty");
            // Inside, root's sandbox has private copies it may change; the host's own must not move.
            corral.sandbox("""
                    for dev in /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty; do
                      chmod 600 $dev; touch -m -d 2001-01-01 $dev
                    done 2>/dev/null
                    true
                    """);
            assertEquals(before, CorralHarness.run("stat", "-c", "%a %u %g %Y %n", "/dev/null", "/dev/zero", "/dev/full", "/dev/urandom", "/dev/tty"));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void deviceNodesCannotBeCreated(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            blocked(corral, """
                    attempt 'mknod /tmp/mem c 1 1'
                    attempt 'mknod disk b 254 0'
                    attempt 'mknod "$HOME/kmsg" c 1 11'
                    attempt 'mknod /dev/vda b 254 0'
                    attempt '/usr/bin/python3 -c "import os, stat; os.mknod(\\"disk2\\", stat.S_IFBLK | 0o666, os.makedev(8, 0))"'
                    """);
            // Corral's own private device copies for root's sandboxes live in its state folder: not the sandbox's doing
            String devices = CorralHarness.run("find", corral.workspace().toString(), corral.home().toString(),
                    "-path", "*/.local/share/corral/sandboxes/*/devices", "-prune", "-o", "(", "-type", "b", "-o", "-type", "c", ")", "-print");
            assertEquals("", devices, "the sandbox left device nodes on the host");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void setuidProgramsCannotBeLeftOnTheHost(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            blocked(corral, """
                    cp /bin/sh suid-shell
                    attempt 'chmod u+s suid-shell && test -u suid-shell'
                    attempt 'chmod g+s suid-shell && test -g suid-shell'
                    cat > /tmp/create-setuid.py <<'EOF'
                    import os
                    os.close(os.open("created-setuid", os.O_CREAT | os.O_WRONLY, 0o6755))
                    EOF
                    attempt '/usr/bin/python3 /tmp/create-setuid.py && test -u created-setuid'
                    cp /bin/sh "$HOME/suid-shell"
                    attempt 'chmod 4755 "$HOME/suid-shell" && test -u "$HOME/suid-shell"'
                    """);
            String setuid = CorralHarness.run("find", corral.workspace().toString(), corral.home().toString(), "-type", "f", "-perm", "/6000");
            assertEquals("", setuid, "the sandbox left set-user-id or set-group-id programs on the host (owned by "
                    + (invoker == Invoker.ROOT ? "root" : CorralHarness.TEST_USER) + ")");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void fileCapabilitiesCannotBeGranted(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            blocked(corral, """
                    cp /bin/sh cap-shell
                    attempt 'setcap cap_setuid,cap_dac_override+ep cap-shell'
                    cat > /tmp/set-capability.py <<'EOF'
                    import os, struct
                    # VFS_CAP_REVISION_2, effective; permitted = CAP_SETUID (7) and CAP_DAC_OVERRIDE (1)
                    os.setxattr("cap-shell", "security.capability", struct.pack("<IIIII", 0x02000001, 0x82, 0, 0, 0))
                    EOF
                    attempt '/usr/bin/python3 /tmp/set-capability.py'
                    """);
            String capabilities = CorralHarness.run("getcap", "-r", corral.workspace().toString());
            assertEquals("", capabilities.strip(), "the sandbox gave a workspace program file capabilities");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void hostUnixSocketsAreUnreachable(Invoker invoker, SandboxBackend backend) throws IOException {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            String reply = "corral-host-socket-" + token();
            Path inHome = corral.home().resolve(".gnupg/S.gpg-agent");
            Path inRoot = corral.root().resolve("host.sock");
            Path inTmp = Path.of("/tmp", "corral-host-" + token() + ".sock");
            plant(corral, corral.home().resolve(".gnupg/placeholder"), "");
            List<Path> sockets = List.of(inHome, inRoot, inTmp);
            try (HostProcess home = unixServer(inHome, reply);
                 HostProcess root = unixServer(inRoot, reply);
                 HostProcess tmp = unixServer(inTmp, reply)) {
                for (Path socket : sockets) {
                    CorralHarness.Result fromHost = corral.host("socat", "-t2", "-", "UNIX-CONNECT:" + socket);
                    assertTrue(fromHost.stdout().contains(reply), () -> "test setup: the host user can't reach " + socket + ": " + fromHost);
                }
                CorralHarness.Result r = blocked(corral, Map.of("SOCKETS", String.join(" ", sockets.stream().map(Path::toString).toList())), """
                        for socket in $SOCKETS; do
                          if [ -e "$socket" ]; then escaped "sees $socket"; fi
                          timeout 5 socat -t2 - "UNIX-CONNECT:$socket" 2>/dev/null
                        done
                        """);
                assertNeverShown(r, reply);
            } finally {
                Files.deleteIfExists(inTmp);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void hostAbstractSocketsAreUnreachable(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            String name = "corral-test-" + token();
            String reply = "corral-host-socket-" + token();
            try (HostProcess server = HostProcess.start("socat", "ABSTRACT-LISTEN:" + name + ",fork", "SYSTEM:echo " + reply)
                    .awaitListening("@" + name)) {
                CorralHarness.Result fromHost = corral.host("socat", "-t2", "-", "ABSTRACT-CONNECT:" + name);
                assertTrue(fromHost.stdout().contains(reply), () -> "test setup: the host can't reach @" + name + ": " + fromHost);
                CorralHarness.Result r = blocked(corral, Map.of("NAME", name), """
                        if grep -q "@$NAME" /proc/net/unix; then escaped "sees @$NAME"; fi
                        timeout 5 socat -t2 - "ABSTRACT-CONNECT:$NAME" 2>/dev/null
                        """);
                assertNeverShown(r, reply);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void hostProcessesAndTheFilesTheyHoldOpenAreInvisible(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            String secret = token();
            String secretDirName = "secret-dir-" + token();
            Path secretFile = plant(corral, corral.root().resolve(secretDirName).resolve("held-open.txt"), secret);
            String duration = "299." + Math.abs(secret.hashCode() % 1000);
            try (HostProcess holder = HostProcess.start("sh", "-c", "exec 3<\"$0\"; cd \"$1\"; exec sleep \"$2\"",
                    secretFile.toString(), secretFile.getParent().toString(), duration).awaitCommandLine("sleep " + duration)) {
                CorralHarness.Result r = blocked(corral, """
                        for p in /proc/[0-9]*; do
                          tr '\\0' ' ' < "$p/cmdline" 2>/dev/null; echo
                          for fd in "$p"/fd/*; do [ -f "$fd" ] && head -c 200 "$fd" 2>/dev/null; done
                          ls -A "$p/cwd/" "$p/root/" 2>/dev/null
                        done
                        """);
                assertNeverShown(r, "sleep " + duration);
                assertNeverShown(r, secret);
                assertNeverShown(r, secretDirName);
            }
        }
    }

    private static HostProcess unixServer(Path socket, String reply) {
        return HostProcess.start("socat", "UNIX-LISTEN:" + socket + ",fork,mode=0777", "SYSTEM:echo " + reply)
                .awaitListening(socket.toString());
    }

    private static String match(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), () -> "no " + regex + " in:\n" + text);
        return m.group(1);
    }
}
