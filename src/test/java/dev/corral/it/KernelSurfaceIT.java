package dev.corral.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel's riskiest surfaces, attacked from inside with raw syscalls (threat model: Processes):
 * namespaces, mounts, ptrace, keyrings, bpf, perf, userfaultfd, io_uring, kernel code, file
 * handles, other ABIs, personality, odd socket families, terminal injection, device nodes, the
 * kernel's global settings. Each attack must fail, and fail with the filter's EPERM (not merely
 * because an argument was wrong), so a hole in the seccomp program shows.
 */
class KernelSurfaceIT {
    private static final Set<String> FAILED_STATUS = Set.of("1", "2", "32", "125", "126", "127", "255", "missing");

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void nestedUserNamespacesCannotBeCreated(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            SandboxPython.Outcomes o = SandboxPython.run(corral, """
                    report('unshare -U', status(['unshare', '-U', 'true']))
                    report('unshare -Ur', status(['unshare', '-Ur', 'true']))
                    report('bwrap --unshare-user', status(['bwrap', '--unshare-user', '--ro-bind', '/', '/', 'true']))
                    attempt('unshare(CLONE_NEWUSER)', 272, 0x10000000)
                    report('clone(CLONE_NEWUSER)', clone(0x10000000 | signal.SIGCHLD))
                    report('clone(CLONE_NEWUSER|CLONE_NEWNS)', clone(0x10000000 | 0x20000 | signal.SIGCHLD))
                    """);
            o.assertEach(FAILED_STATUS, "unshare -U", "unshare -Ur", "bwrap --unshare-user");
            o.assertEach("EPERM", "unshare(CLONE_NEWUSER)", "clone(CLONE_NEWUSER)", "clone(CLONE_NEWUSER|CLONE_NEWNS)");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void noOtherNamespaceCanBeCreatedOrJoined(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            SandboxPython.Outcomes o = SandboxPython.run(corral, """
                    flags = {'NEWNS': 0x20000, 'NEWCGROUP': 0x2000000, 'NEWUTS': 0x4000000, 'NEWIPC': 0x8000000,
                             'NEWPID': 0x20000000, 'NEWNET': 0x40000000, 'NEWTIME': 0x80}
                    for name, flag in flags.items():
                        attempt('unshare(CLONE_' + name + ')', 272, flag)
                        if name != 'NEWTIME':
                            report('clone(CLONE_' + name + ')', clone(flag | signal.SIGCHLD))
                    for ns in ['user', 'mnt', 'net', 'pid', 'ipc', 'uts', 'cgroup']:
                        fd = os.open('/proc/1/ns/' + ns, os.O_RDONLY)
                        attempt('setns(' + ns + ')', 308, fd, 0)
                    report('unshare -n', status(['unshare', '-n', 'true']))
                    report('nsenter -t 1 -m', status(['nsenter', '-t', '1', '-m', 'true']))
                    """);
            o.assertEachStartingWith("unshare(", Set.of("EPERM"));
            o.assertEachStartingWith("clone(", Set.of("EPERM"));
            o.assertEachStartingWith("setns(", Set.of("EPERM"));
            o.assertEach(FAILED_STATUS, "unshare -n", "nsenter -t 1 -m");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void nothingCanBeMountedMovedOrUnmounted(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            SandboxPython.Outcomes o = SandboxPython.run(corral, """
                    os.mkdir('m')
                    before = open('/proc/self/mountinfo').read()
                    attempt('mount tmpfs', 165, ptr(b'none'), ptr(b'm'), ptr(b'tmpfs'), 0, 0)
                    attempt('mount --rbind /', 165, ptr(b'/'), ptr(b'm'), 0, 0x1000 | 0x4000, 0)
                    attempt('mount -o remount,rw /', 165, 0, ptr(b'/'), 0, 0x20, 0)
                    attempt('umount2 /tmp', 166, ptr(b'/tmp'), 2)
                    attempt('fsopen tmpfs', 430, ptr(b'tmpfs'), 0)
                    attempt('fspick /', 433, -100, ptr(b'/'), 0)
                    attempt('open_tree / clone', 428, -100, ptr(b'/'), 1)
                    attempt('move_mount /tmp', 429, -100, ptr(b'/tmp'), -100, ptr(b'm'), 0)
                    attempt('mount_setattr /', 442, -100, ptr(b'/'), 0, ptr(bytes(32)), 32)
                    attempt('pivot_root', 155, ptr(b'.'), ptr(b'.'))
                    attempt('chroot', 161, ptr(b'm'))
                    report('mount(8) tmpfs', status(['mount', '-t', 'tmpfs', 'none', 'm']))
                    report('umount(8) /tmp', status(['umount', '-l', '/tmp']))
                    report('mounts unchanged', str(before == open('/proc/self/mountinfo').read()))
                    """);
            o.assertEach("EPERM", "mount tmpfs", "mount --rbind /", "mount -o remount,rw /", "umount2 /tmp", "fsopen tmpfs",
                    "fspick /", "open_tree / clone", "move_mount /tmp", "mount_setattr /", "pivot_root", "chroot");
            o.assertEach(FAILED_STATUS, "mount(8) tmpfs", "umount(8) /tmp");
            o.assertEach("True", "mounts unchanged");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void aSiblingProcessCannotBeTracedOrHaveItsMemoryRead(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            SandboxPython.Outcomes o = SandboxPython.run(corral, """
                    sibling = subprocess.Popen(['sleep', '60'])
                    pid = sibling.pid
                    time.sleep(0.1)
                    attempt('ptrace(PTRACE_ATTACH)', 101, 16, pid, 0, 0)
                    attempt('ptrace(PTRACE_SEIZE)', 101, 0x4206, pid, 0, 0)
                    child = os.fork()
                    if child == 0:
                        r, e = _raw(101, 0, 0, 0, 0)
                        os._exit(0 if r == 0 else e)
                    code = os.waitstatus_to_exitcode(os.waitpid(child, 0)[1])
                    report('ptrace(PTRACE_TRACEME)', _name(code) if code else 'OK')
                    local = ctypes.create_string_buffer(64)
                    iov = struct.pack('QQ', ctypes.addressof(local), 64)
                    remote = struct.pack('QQ', id(0), 64)
                    attempt('process_vm_readv', 310, pid, ptr(iov), 1, ptr(remote), 1, 0)
                    attempt('process_vm_writev', 311, pid, ptr(iov), 1, ptr(remote), 1, 0)
                    pidfd = os.pidfd_open(pid)
                    attempt('pidfd_getfd', 438, pidfd, 0, 0)
                    attempt('kcmp', 312, os.getpid(), pid, 0, 0, 0)
                    report('strace -p', status(['timeout', '5', 'strace', '-o', '/dev/null', '-p', str(pid)]))
                    report('strace CMD', status(['strace', '-o', '/dev/null', 'true']))
                    report('gdb -p', status(['timeout', '10', 'gdb', '-p', str(pid), '-batch', '-ex', 'kill']))
                    tracer = [l.split()[1] for l in open(f'/proc/{pid}/status') if l.startswith('TracerPid:')][0]
                    report('sibling TracerPid', tracer)
                    report('sibling alive', str(sibling.poll() is None))
                    sibling.kill()
                    """);
            o.assertEach("EPERM", "ptrace(PTRACE_ATTACH)", "ptrace(PTRACE_SEIZE)", "ptrace(PTRACE_TRACEME)",
                    "process_vm_readv", "process_vm_writev", "pidfd_getfd", "kcmp");
            o.assertEach(FAILED_STATUS, "strace -p", "strace CMD", "gdb -p");
            o.assertEach("0", "sibling TracerPid");
            o.assertEach("True", "sibling alive");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void kernelKeyringsAreOutOfReach(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            SandboxPython.Outcomes o = SandboxPython.run(corral, """
                    session, user = -3, -4
                    attempt('keyctl(GET_KEYRING_ID session)', 250, 0, session, 0)
                    attempt('keyctl(GET_KEYRING_ID user)', 250, 0, user, 0)
                    attempt('keyctl(JOIN_SESSION_KEYRING)', 250, 1, 0)
                    attempt('add_key', 248, ptr(b'user'), ptr(b'corral'), ptr(b'secret'), 6, session)
                    attempt('request_key', 249, ptr(b'user'), ptr(b'corral'), 0, session)
                    try:
                        report('/proc/keys', 'empty' if open('/proc/keys').read() == '' else 'LISTED')
                    except OSError as e:
                        report('/proc/keys', _name(e.errno))
                    """);
            o.assertEach("EPERM", "keyctl(GET_KEYRING_ID session)", "keyctl(GET_KEYRING_ID user)", "keyctl(JOIN_SESSION_KEYRING)",
                    "add_key", "request_key");
            o.assertEach(Set.of("empty", "EACCES", "ENOENT"), "/proc/keys");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void bpfAndPerfEventsAreDenied(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            SandboxPython.Outcomes o = SandboxPython.run(corral, """
                    map_attr = struct.pack('IIII', 2, 4, 4, 1) + bytes(56)
                    attempt('bpf(BPF_MAP_CREATE)', 321, 0, ptr(map_attr), len(map_attr))
                    insns = struct.pack('BBhi', 0xb7, 0, 0, 0) + struct.pack('BBhi', 0x95, 0, 0, 0)
                    prog_attr = struct.pack('IIQQIIQ', 1, 2, ptr(insns), ptr(b'GPL'), 0, 0, 0) + bytes(80)
                    attempt('bpf(BPF_PROG_LOAD socket filter)', 321, 5, ptr(prog_attr), len(prog_attr))
                    perf_attr = struct.pack('IIQ', 1, 128, 0) + bytes(112)
                    attempt('perf_event_open(cpu-clock, self)', 298, ptr(perf_attr), 0, -1, -1, 0)
                    attempt('perf_event_open(cpu-clock, cpu 0)', 298, ptr(perf_attr), -1, 0, -1, 0)
                    """);
            o.assertEach("EPERM", "bpf(BPF_MAP_CREATE)", "bpf(BPF_PROG_LOAD socket filter)",
                    "perf_event_open(cpu-clock, self)", "perf_event_open(cpu-clock, cpu 0)");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void userfaultfdIsDenied(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            SandboxPython.Outcomes o = SandboxPython.run(corral, """
                    attempt('userfaultfd(0)', 323, 0)
                    attempt('userfaultfd(UFFD_USER_MODE_ONLY)', 323, 1)
                    attempt('userfaultfd(O_CLOEXEC|O_NONBLOCK)', 323, os.O_CLOEXEC | os.O_NONBLOCK)
                    report('/dev/userfaultfd', 'present' if os.path.exists('/dev/userfaultfd') else 'absent')
                    """);
            o.assertEach("EPERM", "userfaultfd(0)", "userfaultfd(UFFD_USER_MODE_ONLY)", "userfaultfd(O_CLOEXEC|O_NONBLOCK)");
            o.assertEach("absent", "/dev/userfaultfd");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void ioUringIsDenied(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            SandboxPython.Outcomes o = SandboxPython.run(corral, """
                    params = bytes(120)
                    attempt('io_uring_setup', 425, 8, ptr(params))
                    attempt('io_uring_enter', 426, 0, 1, 0, 0, 0, 0)
                    attempt('io_uring_register', 427, 0, 0, 0, 0)
                    """);
            o.assertEach("EPERM", "io_uring_setup", "io_uring_enter", "io_uring_register");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void kernelCodeCannotBeLoadedUnloadedOrReplaced(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            SandboxPython.Outcomes o = SandboxPython.run(corral, """
                    image = os.open('/bin/true', os.O_RDONLY)
                    attempt('init_module', 175, ptr(b'\\x7fELF' + bytes(60)), 64, ptr(b''))
                    attempt('finit_module', 313, image, ptr(b''), 0)
                    attempt('delete_module', 176, ptr(b'ext4'), 0x800)
                    attempt('kexec_load', 246, 0, 0, 0, 0)
                    attempt('kexec_file_load', 320, image, image, 1, ptr(b''), 0)
                    """);
            o.assertEach("EPERM", "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void filesCannotBeOpenedByHandleToWalkOutOfTheSandbox(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            SandboxPython.Outcomes o = SandboxPython.run(corral, """
                    handle = struct.pack('Ii', 128, 0) + bytes(128)
                    mount_id = bytes(4)
                    attempt('name_to_handle_at', 303, -100, ptr(b'/etc/hostname'), ptr(handle), ptr(mount_id), 0)
                    # the classic "shocker" handle of a filesystem's root inode (ext4: inode 2)
                    root = struct.pack('IiQ', 8, 1, 2)
                    attempt('open_by_handle_at', 304, os.open('/', os.O_RDONLY), ptr(root), os.O_RDONLY)
                    """);
            o.assertEach("EPERM", "name_to_handle_at", "open_by_handle_at");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void clone3AnswersThatItDoesNotExistSoFlagsCannotHideInMemory(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            SandboxPython.Outcomes o = SandboxPython.run(corral, """
                    def clone3(flags):
                        args = struct.pack('QQQQQQQQQQQ', flags, 0, 0, 0, signal.SIGCHLD, 0, 0, 0, 0, 0, 0)
                        r, e = _raw(435, ptr(args), len(args))
                        if r == 0:
                            os._exit(0)
                        if r > 0:
                            os.waitpid(r, 0)
                            return 'OK'
                        return _name(e)
                    report('clone3()', clone3(0))
                    report('clone3(CLONE_NEWUSER)', clone3(0x10000000))
                    report('clone3(CLONE_NEWNS|CLONE_NEWPID)', clone3(0x20000 | 0x20000000))
                    child = os.fork()
                    if child == 0:
                        os._exit(7)
                    report('fork still works', str(os.waitstatus_to_exitcode(os.waitpid(child, 0)[1]) == 7))
                    report('threads still work', status(['/usr/bin/python3', '-c', 'import threading; t = threading.Thread(target=print); t.start(); t.join()']))
                    """);
            o.assertEach("ENOSYS", "clone3()", "clone3(CLONE_NEWUSER)", "clone3(CLONE_NEWNS|CLONE_NEWPID)");
            o.assertEach("True", "fork still works");
            o.assertEach("0", "threads still work");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void x32AbiSyscallsAreDenied(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            // each in a child of its own: on Docker, libseccomp kills a call from an architecture the
            // profile doesn't list (SIGSYS) where the native program answers EPERM; both refuse it
            SandboxPython.Outcomes o = SandboxPython.run(corral, """
                    X32 = 0x40000000
                    def isolated(name, nr, *args):
                        pid = os.fork()
                        if pid == 0:
                            attempt(name, nr, *args)
                            os._exit(0)
                        _, st = os.waitpid(pid, 0)
                        if os.WIFSIGNALED(st):
                            report(name, 'killed by ' + signal.Signals(os.WTERMSIG(st)).name)
                    isolated('x32 getpid', X32 | 39)
                    isolated('x32 unshare(CLONE_NEWUSER)', X32 | 272, 0x10000000)
                    isolated('x32 keyctl', X32 | 250, 0, -3, 0)
                    isolated('x32 ptrace', X32 | 521, 16, 1, 0, 0)
                    isolated('x32 ioctl TIOCSTI', X32 | 514, 0, 0x5412, ptr(b'x'))
                    isolated('x32 io_uring_setup', X32 | 425, 8, ptr(bytes(120)))
                    """);
            o.assertEach(Set.of(backend == SandboxBackend.NATIVE ? "EPERM" : "killed by SIGSYS"), "x32 getpid", "x32 unshare(CLONE_NEWUSER)",
                    "x32 keyctl", "x32 ptrace", "x32 ioctl TIOCSTI", "x32 io_uring_setup");
        }
    }

    /**
     * {@code int 0x80} from 64-bit code enters the kernel's i386 syscall table, where every number
     * means something else. The filter must refuse it (EPERM); on a kernel without the i386 entry
     * the instruction faults, which stops the attack too. Returning the pid means it got through.
     */
    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void i386SyscallsThroughInt80AreDenied(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            SandboxPython.Outcomes o = SandboxPython.run(corral, """
                    int80 = '''
                    import ctypes, mmap, os, sys
                    nr = int(sys.argv[1])
                    code = bytes([0xB8]) + nr.to_bytes(4, 'little') + bytes([0xCD, 0x80, 0xC3])   # mov eax, nr; int 0x80; ret
                    page = mmap.mmap(-1, mmap.PAGESIZE, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
                    page.write(code)
                    fn = ctypes.CFUNCTYPE(ctypes.c_int)(ctypes.addressof(ctypes.c_char.from_buffer(page)))
                    print(fn(), os.getpid())
                    '''
                    for name, nr in [('getpid', 20), ('unshare', 310)]:
                        p = subprocess.run(['/usr/bin/python3', '-c', int80, str(nr)], capture_output=True, text=True)
                        if p.returncode < 0:
                            report('int 0x80 ' + name, 'killed by ' + signal.Signals(-p.returncode).name)
                        else:
                            value, pid = p.stdout.split()
                            report('int 0x80 ' + name, 'EPERM' if value == '-1' else ('GOT PID' if value == pid else 'returned ' + value))
                    """);
            o.assertEach(Set.of("EPERM", "killed by SIGSEGV", "killed by SIGILL", "killed by SIGBUS"), "int 0x80 getpid", "int 0x80 unshare");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void personalityCannotTurnOffAddressRandomisation(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            SandboxPython.Outcomes o = SandboxPython.run(corral, """
                    attempt('personality(ADDR_NO_RANDOMIZE)', 135, 0x0040000)
                    attempt('personality(READ_IMPLIES_EXEC)', 135, 0x0400000)
                    attempt('personality(ADDR_COMPAT_LAYOUT)', 135, 0x0200000)
                    attempt('personality(high bits|ADDR_NO_RANDOMIZE)', 135, 0x100040000)
                    report('setarch -R', status(['setarch', 'x86_64', '-R', 'true']))
                    r, e = _raw(135, 0xffffffff)
                    report('personality now', hex(r))
                    """);
            o.assertEach("EPERM", "personality(ADDR_NO_RANDOMIZE)", "personality(READ_IMPLIES_EXEC)",
                    "personality(ADDR_COMPAT_LAYOUT)", "personality(high bits|ADDR_NO_RANDOMIZE)");
            o.assertEach(FAILED_STATUS, "setarch -R");
            o.assertEach("0x0", "personality now");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void onlyUnixAndInternetSocketsCanBeCreated(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            SandboxPython.Outcomes o = SandboxPython.run(corral, """
                    allowed = {1: 'AF_UNIX', 2: 'AF_INET', 10: 'AF_INET6'}
                    for family in range(0, 46):
                        if family in allowed:
                            attempt('allowed socket ' + allowed[family], 41, family, socket.SOCK_STREAM, 0)
                        else:
                            for kind in (socket.SOCK_DGRAM, socket.SOCK_RAW):
                                attempt(f'odd socket {family} type {kind}', 41, family, kind, 0)
                            attempt(f'odd socket {family} with high bits', 41, family | (1 << 32), socket.SOCK_DGRAM, 0)
                            attempt(f'odd socketpair {family}', 53, family, socket.SOCK_DGRAM, 0, ptr(bytes(8)))
                    attempt('allowed socket AF_INET6 dgram', 41, 10, socket.SOCK_DGRAM, 0)
                    attempt('allowed socketpair AF_UNIX', 53, 1, socket.SOCK_STREAM, 0, ptr(bytes(8)))
                    """);
            o.assertEachStartingWith("odd socket", Set.of("EPERM"));
            o.assertEachStartingWith("allowed socket", Set.of("OK"));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void keystrokesCannotBePushedIntoTheTerminalWithTiocsti(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            tiocstiRefused(SandboxPython.run(corral, TIOCSTI));
        }
    }

    /**
     * The same, with a real terminal on the host: once as the whole terminal (corral gives the
     * sandbox a pseudo-terminal of its own) and once on stdin only (corral passes the caller's
     * terminal straight in). Afterwards nothing may wait in the host terminal's input queue.
     */
    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void keystrokesCannotBePushedIntoARealTerminalOnTheHost(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            for (String mode : List.of("terminal", "stdin")) {
                CorralHarness.Result r = corral.corralVia(List.of(SandboxPython.PYTHON, "-c", HOST_TERMINAL, mode), Map.of(),
                        "run", "--", SandboxPython.PYTHON, "-c", SandboxPython.program(TIOCSTI));
                SandboxPython.Outcomes o = SandboxPython.finished(r);
                tiocstiRefused(o);
                o.assertEach("0", "host terminal input pending");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void theConsoleCannotBeDrivenWithTioclinux(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            SandboxPython.Outcomes o = SandboxPython.run(corral, """
                    fds = [0, 1, 2]
                    try:
                        fds.append(os.open('/dev/tty', os.O_RDWR))
                    except OSError:
                        pass
                    for fd in fds:
                        for request in (0x541C, 0x10000541C, 0xFFFFFFFF0000541C):
                            for subcode in (2, 3, 6, 11):   # set selection, paste selection, read the shift state, scroll
                                attempt(f'TIOCLINUX fd {fd} {request:#x} subcode {subcode}', 16, fd, request, ptr(bytes([subcode]) + bytes(16)))
                    """);
            o.assertEachStartingWith("TIOCLINUX", Set.of("EPERM"));
        }
    }

    /**
     * The kernel's global settings under /proc/sys must be read-only inside. A sandbox that can
     * write {@code kernel/core_pattern} makes the host run a program of its choosing as root at the
     * next crash; {@code fs/protected_*} and {@code kernel/randomize_va_space} switch off host-wide
     * protections. The check only opens files for writing, it never writes.
     */
    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void globalKernelSettingsCannotBeOpenedForWriting(Invoker invoker, SandboxBackend backend) throws IOException {
        String corePattern = Files.readString(Path.of("/proc/sys/kernel/core_pattern"));
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            SandboxPython.Outcomes o = SandboxPython.run(corral, """
                    # sysctls that belong to the sandbox's own namespaces (UTS, IPC, PID, network) may be writable
                    own = ('/proc/sys/net/', '/proc/sys/fs/mqueue/', '/proc/sys/user/')
                    own_files = {'hostname', 'domainname', 'ns_last_pid', 'pid_max', 'msgmax', 'msgmnb', 'msgmni',
                                 'auto_msgmni', 'sem', 'shm_rmid_forced', 'shmall', 'shmmax', 'shmmni'}
                    writable = []
                    for top in ('/proc/sys', '/proc/sysrq-trigger'):
                        walk = os.walk(top) if os.path.isdir(top) else [(os.path.dirname(top), [], [os.path.basename(top)])]
                        for folder, _, files in walk:
                            for f in files:
                                path = os.path.join(folder, f)
                                if path.startswith(own) or (folder == '/proc/sys/kernel' and f in own_files):
                                    continue
                                try:
                                    os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
                                    writable.append(path)
                                except OSError:
                                    pass
                    for key in ('/proc/sys/kernel/core_pattern', '/proc/sys/kernel/randomize_va_space', '/proc/sys/fs/protected_symlinks',
                                '/proc/sys/fs/suid_dumpable', '/proc/sys/vm/drop_caches', '/proc/sys/kernel/sysrq'):
                        report('open for writing ' + key, 'OPENED' if key in writable else 'refused')
                    report('writable global settings', len(writable))
                    """);
            o.assertEachStartingWith("open for writing", Set.of("refused"));
            o.assertEach("0", "writable global settings");
        }
        assertEquals(corePattern, Files.readString(Path.of("/proc/sys/kernel/core_pattern")), "the host's core_pattern changed");
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void deviceNodesCannotBeCreatedInTheWorkspace(Invoker invoker, SandboxBackend backend) throws IOException {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            SandboxPython.Outcomes o = SandboxPython.run(corral, """
                    import stat
                    for name, mode, dev in [('disk', stat.S_IFBLK | 0o666, os.makedev(8, 0)), ('mem', stat.S_IFCHR | 0o666, os.makedev(1, 1)),
                                            ('kmsg', stat.S_IFCHR | 0o666, os.makedev(1, 11)), ('tty1', stat.S_IFCHR | 0o666, os.makedev(4, 1))]:
                        try:
                            os.mknod(name, mode, dev)
                            report('mknod ' + name, 'OK')
                        except OSError as e:
                            report('mknod ' + name, _name(e.errno))
                    """);
            o.assertEach("EPERM", "mknod disk", "mknod mem", "mknod kmsg", "mknod tty1");
            try (Stream<Path> files = Files.list(corral.workspace())) {
                List<Path> devices = files.filter(KernelSurfaceIT::isDevice).toList();
                assertEquals(List.of(), devices, "device nodes appeared in the host's workspace");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.corral.it.Targets#all")
    void theMachineCannotBeRebootedOrItsClockSwapOrLogsTouched(Invoker invoker, SandboxBackend backend) {
        try (CorralHarness corral = new CorralHarness(invoker, backend)) {
            SandboxPython.Outcomes o = SandboxPython.run(corral, """
                    # every attempt is harmless if it did succeed: same time, Ctrl-Alt-Del off, accounting off
                    now = time.time()
                    tv = struct.pack('qq', int(now), 0)
                    attempt('reboot(CAD_OFF)', 169, 0xfee1dead, 672274793, 0, 0)
                    attempt('settimeofday', 164, ptr(tv), 0)
                    attempt('clock_settime', 227, 0, ptr(tv))
                    attempt('adjtimex', 159, ptr(bytes(208)))
                    attempt('clock_adjtime', 305, 0, ptr(bytes(208)))
                    attempt('swapon', 167, ptr(b'/tmp/swap'), 0)
                    attempt('swapoff', 168, ptr(b'/tmp/swap'))
                    attempt('acct(NULL)', 163, 0)
                    attempt('syslog(SIZE_BUFFER)', 103, 10, 0, 0)
                    attempt('iopl(3)', 172, 3)
                    attempt('ioperm(0x80)', 173, 0x80, 1, 1)
                    attempt('vhangup', 153)
                    attempt('quotactl(Q_SYNC)', 179, 0x800001, 0, 0, 0)
                    attempt('fanotify_init', 300, 0, 0)
                    """);
            o.assertEach("EPERM", "reboot(CAD_OFF)", "settimeofday", "clock_settime", "adjtimex", "clock_adjtime", "swapon",
                    "swapoff", "acct(NULL)", "syslog(SIZE_BUFFER)", "iopl(3)", "ioperm(0x80)", "vhangup", "quotactl(Q_SYNC)", "fanotify_init");
        }
    }

    private static final String TIOCSTI = """
            fds = {'fd 0': 0, 'fd 1': 1, 'fd 2': 2}
            try:
                fds['/dev/tty'] = os.open('/dev/tty', os.O_RDWR)
            except OSError as e:
                report('open /dev/tty', _name(e.errno))
            for label, fd in fds.items():
                for request in (0x5412, 0x100005412, 0xFFFFFFFF00005412):
                    outcomes = {call(16, fd, request, ptr(ch)) for ch in (b'i', b'd', b'\\n')}
                    report(f'TIOCSTI {label} {request:#x}', ','.join(sorted(outcomes)))
            """;

    /**
     * Runs its arguments with a fresh pseudo-terminal as stdin, stdout and stderr ("terminal") or as
     * stdin only ("stdin"), relays the output, and reports how many bytes wait unread in the
     * terminal's input queue once the command ended.
     */
    private static final String HOST_TERMINAL = """
            import fcntl, os, pty, struct, subprocess, sys, termios
            mode, command = sys.argv[1], sys.argv[2:]
            out = os.dup(1)
            pid, master = pty.fork()
            if pid == 0:
                if mode == 'stdin':
                    os.dup2(out, 1)
                    os.dup2(out, 2)
                status = subprocess.call(command)
                pending = struct.unpack('i', fcntl.ioctl(0, termios.FIONREAD, bytes(4)))[0]
                os.write(out, f'\\nhost terminal input pending={pending}\\n'.encode())
                os._exit(status)
            output = b''
            while True:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                output += chunk
            _, status = os.waitpid(pid, 0)
            os.write(1, output)
            sys.exit(os.waitstatus_to_exitcode(status))
            """;

    private static void tiocstiRefused(SandboxPython.Outcomes o) {
        o.assertEachStartingWith("TIOCSTI", Set.of("EPERM"));
        String tty = o.values().get("open /dev/tty");
        if (tty != null) assertNotEquals("OK", tty, o.result()::toString);
    }

    private static boolean isDevice(Path file) {
        try {
            int format = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000;
            return format == 0020000 || format == 0060000;
        } catch (IOException e) {
            return false;
        }
    }
}
