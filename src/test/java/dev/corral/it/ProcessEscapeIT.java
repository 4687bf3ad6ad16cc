package dev.corral.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sandbox against the host's processes, identity, environment, descriptors and network
 * (threat model: Processes, Network): the agent inside attacks, and the host is checked afterwards.
 */
class ProcessEscapeIT {
    private static final String ZERO_CAPS = "0000000000000000";

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void hostProcessesAreInvisibleAndCannotBeSignalled(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend);
             HostProcess victim = HostProcess.start(asInvoker(corral, "sleep", "300"))) {
            long pid = victim.pid();
            SandboxPython.Outcomes o = SandboxPython.run(corral, """
                    victim = %d
                    pids = [p for p in os.listdir('/proc') if p.isdigit()]
                    report('visible processes', len(pids))
                    report('victim in /proc', str(os.path.exists(f'/proc/{victim}')))
                    for sig in (9, 19, 0):
                        try:
                            os.kill(victim, sig)
                            report(f'kill({sig})', 'OK')
                        except OSError as e:
                            report(f'kill({sig})', _name(e.errno))
                    try:
                        os.pidfd_open(victim)
                        report('pidfd_open', 'OK')
                    except OSError as e:
                        report('pidfd_open', _name(e.errno))
                    report('kill(1) -9', status(['kill', '-9', str(victim)]))
                    report('init is bubblewrap', str('bwrap' in open('/proc/1/cmdline').read()))
                    foreign = [p for p in pids if 'sleep\\x00300' in open(f'/proc/{p}/cmdline').read()]
                    report('host sleep seen', len(foreign))
                    """.formatted(pid));
            o.assertEach("False", "victim in /proc");
            o.assertEach("ESRCH", "kill(9)", "kill(19)", "kill(0)", "pidfd_open");
            o.assertEach(Set.of("1", "2"), "kill(1) -9");
            o.assertEach("True", "init is bubblewrap");
            o.assertEach("0", "host sleep seen");
            assertTrue(Integer.parseInt(o.get("visible processes")) <= 5, o.result()::toString);
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the host process was killed");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void killingEverythingInsideKillsOnlyTheSandbox(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend);
             HostProcess victim = HostProcess.start(asInvoker(corral, "sleep", "300"))) {
            CorralHarness.Result r = corral.sandbox("""
                    sleep 30 &
                    kill -9 -1
                    /usr/bin/python3 -c 'import os, signal; os.kill(-1, signal.SIGKILL)'
                    /usr/bin/python3 -c 'import os, signal; os.killpg(0, signal.SIGKILL)'
                    echo survived""");
            // the last two kill their own caller's group, the shell included: whatever corral reports, the host must be untouched
            assertTrue(r.exit() == 0 || r.exit() == 137, r::toString);
            assertTrue(ProcessHandle.of(victim.pid()).map(ProcessHandle::isAlive).orElse(false), "the host process was killed");
            CorralHarness.Result after = corral.sandbox("echo still-works");
            assertEquals(0, after.exit(), after::toString);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void noProcessInsideHoldsACapabilityOrEscapesNoNewPrivsAndSeccomp(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            SandboxPython.Outcomes o = SandboxPython.run(corral, """
                    helper = subprocess.Popen(['/bin/sh', '-c', 'sleep 30'])
                    time.sleep(0.2)
                    for pid in sorted(int(p) for p in os.listdir('/proc') if p.isdigit()):
                        try:
                            lines = open(f'/proc/{pid}/status').read().splitlines()
                        except OSError:
                            continue
                        for line in lines:
                            key, _, value = line.partition(':')
                            if key in ('CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb', 'NoNewPrivs', 'Seccomp'):
                                report(f'{key} of {pid}', value.strip())
                    helper.kill()
                    """);
            List<String> wrong = new ArrayList<>();
            o.values().forEach((key, value) -> {
                String expected = key.startsWith("Cap") ? ZERO_CAPS : key.startsWith("NoNewPrivs") ? "1" : key.startsWith("Seccomp") ? "2" : null;
                if (expected != null && !expected.equals(value)) wrong.add(key + " = " + value);
            });
            assertTrue(o.values().keySet().stream().filter(k -> k.startsWith("CapEff")).count() >= 3, o.result()::toString);
            assertEquals(List.of(), wrong, o.result()::toString);
        }
    }

    /** Runs the system's setuid programs and looks at them while they wait for a password. */
    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void setuidProgramsGainNoPrivileges(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            SandboxPython.Outcomes o = SandboxPython.run(corral, """
                    import stat
                    for program in ['/usr/bin/su', '/usr/bin/passwd', '/usr/bin/chfn', '/usr/bin/chsh', '/usr/bin/newgrp', '/usr/bin/gpasswd']:
                        if not os.path.exists(program) or not os.stat(program).st_mode & stat.S_ISUID:
                            continue
                        p = subprocess.Popen([program], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                        seen = None
                        for _ in range(200):
                            try:
                                if os.readlink(f'/proc/{p.pid}/exe') == program:
                                    fields = dict(l.split(':', 1) for l in open(f'/proc/{p.pid}/status').read().splitlines())
                                    seen = (fields['Uid'].split(), fields['CapEff'].strip(), fields['CapPrm'].strip())
                                    break
                            except OSError:
                                pass
                            if p.poll() is not None:
                                break
                            time.sleep(0.01)
                        if seen is None:
                            report('setuid ' + program, 'exited before it could be seen')
                        else:
                            uids, eff, prm = seen
                            same = len(set(uids)) == 1 and uids[0] == str(os.getuid())
                            report('setuid ' + program, 'unprivileged' if same and eff == prm == '0' * 16 else f'PRIVILEGED uids={uids} eff={eff} prm={prm}')
                        p.kill()
                    report('mount(8) as setuid', status(['mount', '-t', 'tmpfs', 'none', '/tmp']))
                    """);
            o.assertEachStartingWith("setuid ", Set.of("unprivileged", "exited before it could be seen"));
            assertTrue(o.values().containsValue("unprivileged"), () -> "no setuid program could be observed:\n" + o.result());
            assertNotEquals("0", o.get("mount(8) as setuid"));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void theSandboxRunsAsItsInvokerAndCannotTakeAnotherIdentity(Invoker invoker, SandboxBackend backend) throws IOException {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            SandboxPython.Outcomes o = SandboxPython.run(corral, """
                    report('uid', os.getuid()); report('euid', os.geteuid()); report('gid', os.getgid())
                    open('mine', 'w').write('x')
                    def tryit(name, fn):
                        try:
                            fn()
                            report(name, 'OK')
                        except OSError as e:
                            report(name, _name(e.errno))
                    tryit('chown to uid 1234', lambda: os.chown('mine', 1234, -1))
                    tryit('chown to gid 1234', lambda: os.chown('mine', -1, 1234))
                    tryit('chown to root', lambda: os.chown('mine', 0, 0) if os.getuid() != 0 else os.chown('mine', 65534, 65534))
                    tryit('setuid(1234)', lambda: os.setuid(1234))
                    tryit('setgid(1234)', lambda: os.setgid(1234))
                    tryit('setgroups([0])', lambda: os.setgroups([0]))
                    tryit('setresuid(0,0,0)', lambda: os.setresuid(0, 0, 0) if os.getuid() != 0 else os.setresuid(65534, 65534, 65534))
                    report('mapped uids', len(open('/proc/self/uid_map').read().splitlines()))
                    """);
            assertEquals(Long.toString(corral.uid()), o.get("uid"));
            assertEquals(Long.toString(corral.uid()), o.get("euid"));
            o.assertEach(Set.of("EPERM", "EINVAL"), "chown to uid 1234", "chown to gid 1234", "chown to root", "setuid(1234)",
                    "setgid(1234)", "setgroups([0])", "setresuid(0,0,0)");
            o.assertEach("1", "mapped uids");
            assertEquals(Long.toString(corral.uid()), Files.getAttribute(corral.workspace().resolve("mine"), "unix:uid").toString(),
                    "owner on the host of a file the sandbox created");
        }
    }

    /**
     * Inside, a root-invoked sandbox is uid 0 without capabilities; files it creates in the
     * workspace belong to the host's root. It must not be able to leave a setuid-root (or setgid-root)
     * program there: any local user who runs it later is root. Files of an ordinary invoker may
     * carry only that user's identity.
     */
    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void noSetuidRootProgramCanBeLeftInTheWorkspaceForTheHost(Invoker invoker, SandboxBackend backend) throws IOException {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            SandboxPython.Outcomes o = SandboxPython.run(corral, """
                    import shutil, stat
                    shutil.copy('/usr/bin/id', 'suid-id')
                    for name, mode in [('chmod u+s', 0o4755), ('chmod g+s', 0o2755)]:
                        try:
                            os.chmod('suid-id', mode)
                            report(name, 'OK')
                        except OSError as e:
                            report(name, _name(e.errno))
                    try:
                        os.close(os.open('created-setuid', os.O_CREAT | os.O_WRONLY, 0o6755))
                        report('create 06755', 'OK')
                    except OSError as e:
                        report('create 06755', _name(e.errno))
                    os.mkdir('setgid-dir')
                    try:
                        os.chmod('setgid-dir', 0o2777)
                    except OSError:
                        pass
                    try:
                        os.setxattr('suid-id', 'security.capability', bytes.fromhex('01000002ffffffff000000000000000000000000'))
                        report('setcap', 'OK')
                    except OSError as e:
                        report('setcap', _name(e.errno))
                    """);
            o.assertEach("EPERM", "setcap");
            List<String> dangerous = new ArrayList<>();
            for (String name : List.of("suid-id", "created-setuid", "setgid-dir")) {
                Path file = corral.workspace().resolve(name);
                if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) continue;
                int mode = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                int uid = (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                int gid = (Integer) Files.getAttribute(file, "unix:gid", LinkOption.NOFOLLOW_LINKS);
                if ((mode & 04000) != 0 && uid != corral.uid()) dangerous.add(name + " is setuid uid " + uid);
                if ((mode & 04000) != 0 && uid == 0) dangerous.add(name + " is setuid root");
                if ((mode & 02000) != 0 && gid == 0) dangerous.add(name + " is setgid root");
            }
            assertEquals(List.of(), dangerous, () -> "the sandbox left privileged programs on the host (" + invoker + "):\n" + o.result());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void secretsInCorralsEnvironmentNeverReachTheSandbox(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            String secret = "leak-" + Attacks.token();
            Map<String, String> env = Map.of("AWS_SECRET_ACCESS_KEY", secret, "GITHUB_TOKEN", secret, "ANTHROPIC_API_KEY", secret,
                    "SSH_AUTH_SOCK", "/tmp/" + secret, "DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/" + secret,
                    "LD_PRELOAD", "/tmp/" + secret + ".so", "JAVA_TOOL_OPTIONS", "-D" + secret);
            CorralHarness.Result r = corral.corralVia(List.of(), env, "run", "--", "/bin/sh", "-c",
                    "env; for f in /proc/[0-9]*/environ /proc/[0-9]*/cmdline; do tr '\\0' '\\n' < $f; done; echo done-reading");
            assertEquals(0, r.exit(), r::toString);
            assertTrue(r.stdout().contains("done-reading"), r::toString);
            assertFalse(r.stdout().contains(secret), () -> "a secret of corral's environment is visible inside:\n" + r);
            for (String name : env.keySet()) {
                if (name.equals("JAVA_TOOL_OPTIONS")) continue; // Corral sets its own (the proxy's properties); the value is checked above
                assertFalse(r.stdout().contains(name + "="), () -> name + " passed into the sandbox:\n" + r);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void onlyTerminalAndLocaleVariablesPassThroughBesideTheBasics(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            Map<String, String> env = Map.of("TERM", "xterm-256color", "LC_ALL", "C.UTF-8", "LC_TIME", "C", "TZ", "Europe/Paris",
                    "COLORTERM", "truecolor", "EDITOR", "vim", "PYTHONPATH", "/tmp/evil", "KUBECONFIG", "/root/.kube/config",
                    "XDG_SESSION_ID", "7", "HISTFILE", "/root/.bash_history");
            CorralHarness.Result r = corral.corralVia(List.of(), env, "run", "--", SandboxPython.PYTHON, "-c",
                    "import os\nfor k in sorted(os.environ): print(k + '=' + os.environ[k])");
            assertEquals(0, r.exit(), r::toString);
            Map<String, String> inside = SandboxPython.parse(r.stdout());
            Set<String> expected = new TreeSet<>(Set.of("TERM", "LANG", "LC_ALL", "LC_TIME", "TZ", "COLORTERM", "HOME", "USER",
                    "LOGNAME", "SHELL", "PATH", "CORRAL_SANDBOX", "PWD"));
            expected.addAll(dev.corral.policy.NetworkEnvironment.of(3128, java.util.Optional.empty(),
                    java.util.Optional.of("/etc/ssl/certs/ca-certificates.crt"), Map.of()).keySet());
            if (backend == SandboxBackend.DOCKER) {
                expected.add("HOSTNAME"); // the engine always sets it: the sandbox's own name, nothing of the host
                assertEquals(inside.get("CORRAL_SANDBOX"), inside.get("HOSTNAME"), r::toString);
            }
            assertEquals(expected, new TreeSet<>(inside.keySet()), r::toString);
            assertEquals("xterm-256color", inside.get("TERM"));
            assertEquals("Europe/Paris", inside.get("TZ"));
            assertEquals("C.UTF-8", inside.get("LC_ALL"));
            assertEquals(corral.home().toString(), inside.get("HOME"));
            assertEquals(invoker == Invoker.USER ? CorralHarness.TEST_USER : "root", inside.get("USER"));
            assertEquals(corral.workspace().toString(), inside.get("PWD"));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void variablesNamedWithDashEArriveExactly(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            CorralHarness.Result r = corral.corralVia(List.of(), Map.of("FROM_HOST", "host value"),
                    "run", "-e", "GREETING=hello world", "-e", "EMPTY=", "-e", "WITH_EQUALS=a=b", "-e", "FROM_HOST",
                    "-e", "PATH=/opt/tools/bin:/usr/bin:/bin", "--", SandboxPython.PYTHON, "-c",
                    "import os\nfor k in ['GREETING', 'EMPTY', 'WITH_EQUALS', 'FROM_HOST', 'PATH']: print(k + '=' + repr(os.environ.get(k)))");
            assertEquals(0, r.exit(), r::toString);
            Map<String, String> inside = SandboxPython.parse(r.stdout());
            assertEquals("'hello world'", inside.get("GREETING"), r::toString);
            assertEquals("''", inside.get("EMPTY"), r::toString);
            assertEquals("'a=b'", inside.get("WITH_EQUALS"), r::toString);
            assertEquals("'host value'", inside.get("FROM_HOST"), r::toString);
            assertEquals("'/opt/tools/bin:/usr/bin:/bin'", inside.get("PATH"), r::toString);
        }
    }

    /** corral is started by a shell that holds a file, a directory and a pipe open on descriptors 7 to 11. */
    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void noDescriptorOfTheCallerIsInherited(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            Path secret = Attacks.plant(corral, corral.root().resolve("fds/secret.txt"), "fd-secret\n");
            // on Docker the standard streams are the engine's pipes to its attach connection, not the caller's
            String opener = "exec 7<\"$0\" 8>>\"$0\" 9<\"$(dirname \"$0\")\" 10</ 11< <(:); exec \"$@\"";
            CorralHarness.Result r = corral.corralVia(List.of("/bin/bash", "-c", opener, secret.toString()), Map.of(),
                    "run", "--", SandboxPython.PYTHON, "-c", SandboxPython.program("""
                            extra = []
                            for fd in range(3, 1024):
                                try:
                                    os.fstat(fd)
                                    extra.append(fd)
                                except OSError:
                                    pass
                            report('open descriptors above 2', extra)
                            foreign = []
                            for pid in (p for p in os.listdir('/proc') if p.isdigit()):
                                for fd in os.listdir(f'/proc/{pid}/fd'):
                                    try:
                                        target = os.readlink(f'/proc/{pid}/fd/{fd}')
                                    except OSError:
                                        continue
                                    engine_stdio = ENGINE_STDIO and fd in ('0', '1', '2')
                                    if 'secret' in target or 'fds' in target or target == '/' or (target.startswith('pipe:') and not engine_stdio):
                                        foreign.append(f'{pid}:{fd}->{target}')
                            report('foreign descriptors', foreign)
                            """.replace("ENGINE_STDIO", backend == SandboxBackend.DOCKER ? "True" : "False")));
            SandboxPython.Outcomes o = SandboxPython.finished(r);
            o.assertEach("[]", "open descriptors above 2", "foreign descriptors");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void theOnlyNetworkInterfaceIsLoopbackWithNoRouteOut(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            SandboxPython.Outcomes o = SandboxPython.run(corral, """
                    lines = open('/proc/net/dev').read().splitlines()[2:]
                    report('interfaces', sorted(l.split(':')[0].strip() for l in lines))
                    report('ipv4 routes', len(open('/proc/net/route').read().splitlines()[1:]))
                    v6 = open('/proc/net/if_inet6').read().split() if os.path.exists('/proc/net/if_inet6') else []
                    report('ipv6 interfaces', sorted(set(v6[5::6])))
                    report('/sys/class/net', str(os.path.exists('/sys/class/net')))
                    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    for target in ('1.1.1.1', '10.0.0.1', '169.254.169.254', '192.168.1.1'):
                        try:
                            s.connect((target, 53))
                            report('route to ' + target, 'OK')
                        except OSError as e:
                            report('route to ' + target, _name(e.errno))
                    """);
            o.assertEach("['lo']", "interfaces");
            o.assertEach("0", "ipv4 routes");
            o.assertEach(Set.of("[]", "['lo']"), "ipv6 interfaces");
            o.assertEach("False", "/sys/class/net");
            o.assertEach("ENETUNREACH", "route to 1.1.1.1", "route to 10.0.0.1", "route to 169.254.169.254", "route to 192.168.1.1");
        }
    }

    /** A TCP server on every host address, loopback included: the sandbox's loopback is its own. */
    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void servicesListeningOnTheHostAreUnreachable(Invoker invoker, SandboxBackend backend) throws IOException {
        try (CorralHarness corral = new CorralHarness(invoker, backend);
             ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(0));
            server.configureBlocking(false);
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            List<String> addresses = new ArrayList<>(List.of("127.0.0.1", "::1"));
            for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
                for (InetAddress address : nif.inetAddresses().toList()) {
                    if (address.isLoopbackAddress() || address.isLinkLocalAddress()) continue;
                    addresses.add(address instanceof Inet6Address ? address.getHostAddress().replaceAll("%.*", "") : address.getHostAddress());
                }
            }
            SandboxPython.Outcomes o = SandboxPython.run(corral, """
                    port = %d
                    for address in %s:
                        try:
                            socket.create_connection((address, port), timeout=3).close()
                            report('connect ' + address, 'CONNECTED')
                        except OSError as e:
                            report('connect ' + address, _name(e.errno) if e.errno else type(e).__name__)
                    """.formatted(port, python(addresses)));
            o.assertEachStartingWith("connect ", Set.of("ECONNREFUSED", "ENETUNREACH", "EHOSTUNREACH", "EADDRNOTAVAIL"));
            try (SocketChannel accepted = server.accept()) {
                assertNull(accepted, "a connection from the sandbox reached the host's server");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void namesCannotBeResolvedSoNothingLeaksThroughDns(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            SandboxPython.Outcomes o = SandboxPython.run(corral, """
                    report('getent hosts example.com', status(['getent', 'hosts', 'example.com']))
                    try:
                        socket.getaddrinfo('leak-test.example.com', 443)
                        report('getaddrinfo', 'RESOLVED')
                    except socket.gaierror as e:
                        report('getaddrinfo', 'failed')
                    servers = ['8.8.8.8', '1.1.1.1']
                    if os.path.exists('/etc/resolv.conf'):
                        servers += [l.split()[1] for l in open('/etc/resolv.conf') if l.startswith('nameserver')]
                    query = struct.pack('>HHHHHH', 0x1234, 0x0100, 1, 0, 0, 0) + b'\\x07example\\x03com\\x00' + struct.pack('>HH', 1, 1)
                    for server in servers:
                        family = socket.AF_INET6 if ':' in server else socket.AF_INET
                        s = socket.socket(family, socket.SOCK_DGRAM)
                        s.settimeout(1)
                        try:
                            s.sendto(query, (server, 53))
                            s.recvfrom(512)
                            report('dns query to ' + server, 'ANSWERED')
                        except socket.timeout:
                            report('dns query to ' + server, 'no answer')
                        except OSError as e:
                            report('dns query to ' + server, _name(e.errno))
                    """);
            o.assertEach("2", "getent hosts example.com");
            o.assertEach("failed", "getaddrinfo");
            o.assertEachStartingWith("dns query to ", Set.of("ENETUNREACH", "no answer", "ECONNREFUSED", "EADDRNOTAVAIL"));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void abstractUnixSocketsOfTheHostAreInvisible(Invoker invoker, SandboxBackend backend) {
        String name = "corral-it-" + Attacks.token();
        try (CorralHarness corral = new CorralHarness(invoker, backend);
             HostProcess listener = HostProcess.start(SandboxPython.PYTHON, "-c",
                     "import socket, sys, time\ns = socket.socket(socket.AF_UNIX)\ns.bind('\\0' + sys.argv[1])\ns.listen()\ntime.sleep(120)", name)) {
            listener.awaitListening("@" + name);
            SandboxPython.Outcomes o = SandboxPython.run(corral, """
                    name = '%s'
                    s = socket.socket(socket.AF_UNIX)
                    try:
                        s.connect('\\0' + name)
                        report('connect @' + name, 'CONNECTED')
                    except OSError as e:
                        report('connect @' + name, _name(e.errno))
                    report('listed in /proc/net/unix', str(name in open('/proc/net/unix').read()))
                    report('sockets listed', len(open('/proc/net/unix').read().splitlines()) - 1)
                    """.formatted(name));
            o.assertEach("ECONNREFUSED", "connect @" + name);
            o.assertEach("False", "listed in /proc/net/unix");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void daemonisedProcessesDoNotOutliveTheRun(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            String marker = HostMarkers.sleepMarker();
            CorralHarness.Result r = corral.sandbox("""
                    m=%s
                    (sleep $m &) &
                    nohup sleep $m >/dev/null 2>&1 &
                    setsid sleep $m &
                    setsid -f sleep $m
                    /usr/bin/python3 -c '
                    import os, sys
                    if os.fork() == 0:
                        os.setsid()
                        if os.fork() == 0:
                            os.execvp("sleep", ["sleep", sys.argv[1]])
                        os._exit(0)
                    ' $m
                    for i in 1 2 3 4 5 6 7 8 9 10; do [ "$(pgrep -c -f "sleep $m")" -ge 5 ] && break; sleep 0.3; done
                    echo daemons=$(pgrep -c -f "sleep $m")
                    """.formatted(marker));
            List<String> left = HostMarkers.processesWith(marker);
            assertEquals(0, r.exit(), r::toString);
            assertTrue(r.stdout().contains("daemons=5"), () -> "the daemons did not all start:\n" + r);
            assertEquals(List.of(), left, "processes of the sandbox outlived corral run");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void killingCorralItselfTakesTheWholeSandboxDown(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            String marker = HostMarkers.sleepMarker();
            CorralHarness.Background running = corral.corralInBackground("run", "--", "/bin/sh", "-c",
                    "setsid sleep " + marker + " & nohup sleep " + marker + " & exec sleep " + marker);
            assertTrue(HostMarkers.awaitSleepers(marker, 3, Duration.ofSeconds(60)), "the sandbox did not start its sleepers");
            running.process().destroyForcibly();
            List<String> left = HostMarkers.awaitNone(marker, Duration.ofSeconds(10));
            assertEquals(List.of(), left, "the sandbox outlived a killed corral");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void renamingTheMachineInsideLeavesTheHostsNameAlone(Invoker invoker, SandboxBackend backend) throws IOException {
        String hostName = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        String domainName = Files.readString(Path.of("/proc/sys/kernel/domainname")).strip();
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            SandboxPython.Outcomes o = SandboxPython.run(corral, """
                    attempt('sethostname', 170, ptr(b'pwned'), 5)
                    attempt('setdomainname', 171, ptr(b'pwned'), 5)
                    report('hostname(1)', status(['hostname', 'pwned']))
                    for knob in ('hostname', 'domainname'):
                        try:
                            open('/proc/sys/kernel/' + knob, 'w').write('pwned')
                        except OSError:
                            pass
                    report('name inside', os.uname().nodename)
                    """);
            o.assertEach("EPERM", "sethostname", "setdomainname");
            assertNotEquals("0", o.get("hostname(1)"));
            assertNotEquals(hostName, o.get("name inside"), "the sandbox sees the host's name");
        }
        assertEquals(hostName, Files.readString(Path.of("/proc/sys/kernel/hostname")).strip(), "the host's name changed");
        assertEquals(domainName, Files.readString(Path.of("/proc/sys/kernel/domainname")).strip(), "the host's domain name changed");
    }

    /** {@code corral exec} enters a running sandbox: what it starts must be as confined as the sandbox itself. */
    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aProcessStartedWithExecIsConfinedLikeTheSandbox(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend);
             HostProcess victim = HostProcess.start(asInvoker(corral, "sleep", "300"))) {
            String marker = HostMarkers.sleepMarker();
            String name = "exec-" + Attacks.token().substring(0, 8);
            CorralHarness.Background running = corral.corralInBackground("run", "--name", name, "--", "sleep", marker);
            assertTrue(HostMarkers.awaitSleepers(marker, 1, Duration.ofSeconds(60)), "the sandbox did not start");
            CorralHarness.Result r = corral.corral("exec", name, "--", SandboxPython.PYTHON, "-c", SandboxPython.program("""
                    fields = dict(l.split(':', 1) for l in open('/proc/self/status').read().splitlines())
                    for key in ('CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb', 'NoNewPrivs', 'Seccomp'):
                        report(key, fields[key].strip())
                    report('uid', os.getuid())
                    report('victim visible', str(os.path.exists('/proc/%d')))
                    report('sandbox sleeper visible', str(any('%s' in open(f'/proc/{p}/cmdline').read() for p in os.listdir('/proc') if p.isdigit())))
                    attempt('unshare(CLONE_NEWUSER)', 272, 0x10000000)
                    attempt('keyctl', 250, 0, -3, 0)
                    """.formatted(victim.pid(), marker)));
            SandboxPython.Outcomes o = SandboxPython.finished(r);
            o.assertEach(ZERO_CAPS, "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb");
            o.assertEach("1", "NoNewPrivs");
            o.assertEach("2", "Seccomp");
            o.assertEach(Long.toString(corral.uid()), "uid");
            o.assertEach("False", "victim visible");
            o.assertEach("True", "sandbox sleeper visible");
            o.assertEach("EPERM", "unshare(CLONE_NEWUSER)", "keyctl");
            running.process().destroyForcibly();
        }
    }

    /** The command as the invoking user, for host processes the sandbox could signal if it saw them. */
    static String[] asInvoker(CorralHarness corral, String... command) {
        List<String> argv = new ArrayList<>();
        if (corral.invoker() == Invoker.USER) {
            argv.addAll(List.of("setpriv", "--reuid", CorralHarness.TEST_USER, "--regid", CorralHarness.TEST_USER, "--clear-groups", "--"));
        }
        argv.addAll(List.of(command));
        return argv.toArray(String[]::new);
    }

    private static String python(List<String> values) {
        return values.stream().map(v -> "'" + v + "'").collect(Collectors.joining(", ", "[", "]"));
    }
}
