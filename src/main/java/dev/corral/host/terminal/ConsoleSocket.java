package dev.corral.host.terminal;

import dev.corral.host.HostException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The Unix socket a detached console listens on, and the failures of either end as one line with a
 * fix. The socket is {@code 0600} in a folder only the user can enter: whoever connects can type
 * into the sandbox, so only the user may.
 */
final class ConsoleSocket {
    private ConsoleSocket() {
    }

    /**
     * Listens on {@code socket}, replacing one left behind by a supervisor that died, never one that
     * still answers.
     *
     * @throws HostException if the path is taken or the socket cannot be made
     */
    static ServerSocketChannel listen(Path socket) {
        removeStale(socket);
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            channel.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            return channel;
        } catch (IOException | RuntimeException e) {
            if (channel != null) close(channel);
            throw new HostException("cannot listen on the console socket " + socket + ": " + e.getMessage(),
                    "the path must be short (a Unix socket's is at most 107 bytes) and its folder yours and writable");
        }
    }

    /**
     * Connects to the console at {@code socket}, in blocking mode.
     *
     * @throws HostException if there is no console there or its supervisor is gone
     */
    static SocketChannel connect(Path socket) {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            throw new HostException("the sandbox has no detached console (" + socket + " does not exist)",
                    "only a sandbox started with corral run -d can be attached; corral ls shows which run");
        }
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            return channel;
        } catch (IOException e) {
            if (channel != null) close(channel);
            if (e instanceof ConnectException || e.getMessage() != null && e.getMessage().contains("refused")) {
                throw new HostException("the sandbox's console does not answer (" + socket + "): its supervisor is gone",
                        "corral ls shows whether the sandbox still runs; corral run -d starts it again");
            }
            throw new HostException("cannot attach to the console " + socket + ": " + e.getMessage(),
                    "check that " + socket.getParent() + " is yours; corral ls shows whether the sandbox runs");
        }
    }

    private static void removeStale(Path socket) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new HostException("cannot look at the console socket " + socket + ": " + e.getMessage(), null);
        }
        if (!attributes.isOther()) {
            throw new HostException("cannot listen on the console socket " + socket + ": something else is in its place",
                    "remove " + socket + " if no sandbox runs under this name");
        }
        if (answers(socket)) {
            throw new HostException("another supervisor serves the console at " + socket,
                    "stop that sandbox first (corral stop), or pick another name");
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new HostException("cannot remove the stale console socket " + socket + ": " + e.getMessage(),
                    "remove it by hand if no sandbox runs under this name");
        }
    }

    private static boolean answers(Path socket) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static void close(Channel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // it never worked; there is nothing to flush
        }
    }
}
