package dev.corral.host;

import dev.corral.host.HostException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The C library calls the terminal code needs, as thin as the C functions themselves: they return
 * what C returns (-1 on failure) and {@link #errno()} tells why, per thread, like C's {@code errno}.
 * Calls that can fail with {@code EINTR} are retried, so callers never see it.
 *
 * <p>The constants are Linux's values on x86_64 and aarch64 (the asm-generic ones). Linking C
 * functions is a restricted operation: the JVM needs {@code --enable-native-access=ALL-UNNAMED}
 * (or the jar manifest's {@code Enable-Native-Access: ALL-UNNAMED}) to do it without a warning.
 */
@SuppressWarnings("restricted") // this class is where Corral's terminal code talks to C, on purpose
public final class Libc {
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EAGAIN = 11;

    public static final int O_RDWR = 0x2;
    public static final int O_NOCTTY = 0x100;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;
    public static final int EFD_CLOEXEC = 0x80000;

    public static final long TIOCGWINSZ = 0x5413;
    public static final long TIOCSWINSZ = 0x5414;
    public static final long TIOCGPTN = 0x80045430L;
    public static final long TIOCSPTLCK = 0x40045431L;
    public static final int TCSANOW = 0;

    public static final short POLLIN = 0x1;
    public static final short POLLOUT = 0x4;

    /** {@code struct pollfd}. */
    public static final StructLayout POLLFD = MemoryLayout.structLayout(
            JAVA_INT.withName("fd"), JAVA_SHORT.withName("events"), JAVA_SHORT.withName("revents"));
    /** {@code struct winsize}: four unsigned shorts. */
    public static final StructLayout WINSIZE = MemoryLayout.structLayout(
            JAVA_SHORT.withName("ws_row"), JAVA_SHORT.withName("ws_col"),
            JAVA_SHORT.withName("ws_xpixel"), JAVA_SHORT.withName("ws_ypixel"));

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final long ERRNO_OFFSET = CALL_STATE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final ThreadLocal<MemorySegment> THREAD_CALL_STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CALL_STATE));

    private static final MethodHandle OPEN = downcall("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle FLOCK = downcall("flock", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle READ = downcall("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG),
            CAPTURE_ERRNO);
    private static final MethodHandle WRITE = downcall("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG),
            CAPTURE_ERRNO);
    private static final MethodHandle IOCTL = downcall("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
            CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle POLL = downcall("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT),
            CAPTURE_ERRNO);
    private static final MethodHandle EVENTFD = downcall("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT),
            CAPTURE_ERRNO);
    private static final MethodHandle ISATTY = downcall("isatty", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle TCGETATTR = downcall("tcgetattr", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS),
            CAPTURE_ERRNO);
    private static final MethodHandle TCSETATTR = downcall("tcsetattr",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), CAPTURE_ERRNO);
    private static final MethodHandle CFMAKERAW = downcall("cfmakeraw", FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle STRERROR = downcall("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Libc() {
    }

    public static int open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cPath = arena.allocateFrom(path);
            int fd;
            do {
                fd = (int) OPEN.invokeExact(state(), cPath, flags, 0);
            } while (interrupted(fd));
            return fd;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Never retried: after {@code EINTR} Linux has closed the descriptor already. */
    public static int close(int fd) {
        try {
            return (int) CLOSE.invokeExact(state(), fd);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code flock(2)}: a lock on the open file (the inode), whatever path or user opened it. */
    public static int flock(int fd, int operation) {
        try {
            int result;
            do {
                result = (int) FLOCK.invokeExact(state(), fd, operation);
            } while (interrupted(result));
            return result;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static long read(int fd, MemorySegment buffer, long count) {
        try {
            long n;
            do {
                n = (long) READ.invokeExact(state(), fd, buffer, count);
            } while (interrupted(n));
            return n;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static long write(int fd, MemorySegment buffer, long count) {
        try {
            long n;
            do {
                n = (long) WRITE.invokeExact(state(), fd, buffer, count);
            } while (interrupted(n));
            return n;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int ioctl(int fd, long request, MemorySegment argument) {
        try {
            int result;
            do {
                result = (int) IOCTL.invokeExact(state(), fd, request, argument);
            } while (interrupted(result));
            return result;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** {@code poll(2)} on {@code count} {@link #POLLFD}s; a negative timeout waits forever. */
    public static int poll(MemorySegment pollfds, int count, int timeoutMillis) {
        try {
            int result;
            do {
                result = (int) POLL.invokeExact(state(), pollfds, (long) count, timeoutMillis);
            } while (interrupted(result));
            return result;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int eventfd(int initialValue, int flags) {
        try {
            return (int) EVENTFD.invokeExact(state(), initialValue, flags);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static boolean isatty(int fd) {
        try {
            return (int) ISATTY.invokeExact(fd) == 1;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int tcgetattr(int fd, MemorySegment termios) {
        try {
            return (int) TCGETATTR.invokeExact(state(), fd, termios);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static int tcsetattr(int fd, int when, MemorySegment termios) {
        try {
            int result;
            do {
                result = (int) TCSETATTR.invokeExact(state(), fd, when, termios);
            } while (interrupted(result));
            return result;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static void cfmakeraw(MemorySegment termios) {
        try {
            CFMAKERAW.invokeExact(termios);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** The {@code errno} of this thread's last call that failed. */
    public static int errno() {
        return THREAD_CALL_STATE.get().get(JAVA_INT, ERRNO_OFFSET);
    }

    /** A failure of the last call: {@code what}, then the C library's words for {@link #errno()}. */
    public static HostException failure(String what, String fix) {
        return new HostException(what + ": " + strerror(errno()), fix);
    }

    public static String strerror(int errno) {
        try {
            MemorySegment message = (MemorySegment) STRERROR.invokeExact(errno);
            return message.reinterpret(Long.MAX_VALUE).getString(0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static boolean interrupted(long result) {
        return result == -1 && errno() == EINTR;
    }

    private static MemorySegment state() {
        return THREAD_CALL_STATE.get();
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment function = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("the C library has no " + name + "()"));
        return LINKER.downcallHandle(function, descriptor, options);
    }

    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException e) return e;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
