package dev.corral.net.tls;

import dev.corral.support.ChannelStreams;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.nio.channels.SocketChannel;

/**
 * A {@link Socket} over a connected, blocking {@link SocketChannel} of any family (Unix-domain
 * included), so the JDK's {@code SSLSocket} can be layered on it. Reads and writes go straight to
 * the channel, which allows one reader and one writer at a time without either waiting on the
 * other. Socket options are accepted and ignored; timeouts are not supported (a stalled peer is
 * dealt with by closing the channel).
 */
final class ChannelSocket extends Socket {
    private final SocketChannel channel;
    private final InputStream input;
    private final OutputStream output;
    private volatile int soTimeout;
    private volatile boolean inputShutdown;
    private volatile boolean outputShutdown;

    ChannelSocket(SocketChannel channel) throws SocketException {
        super((SocketImpl) null);
        if (!channel.isBlocking()) throw new IllegalArgumentException("the channel must be in blocking mode");
        if (!channel.isConnected()) throw new SocketException("the channel is not connected");
        this.channel = channel;
        this.input = ChannelStreams.input(channel);
        this.output = ChannelStreams.output(channel);
    }

    @Override
    public InputStream getInputStream() {
        return input;
    }

    @Override
    public OutputStream getOutputStream() {
        return output;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public boolean isClosed() {
        return !channel.isOpen();
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public boolean isBound() {
        return true;
    }

    @Override
    public void shutdownInput() throws IOException {
        inputShutdown = true;
        channel.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        outputShutdown = true;
        channel.shutdownOutput();
    }

    @Override
    public boolean isInputShutdown() {
        return inputShutdown || !channel.isOpen();
    }

    @Override
    public boolean isOutputShutdown() {
        return outputShutdown || !channel.isOpen();
    }

    @Override
    public InetAddress getInetAddress() {
        return null;
    }

    @Override
    public InetAddress getLocalAddress() {
        return null;
    }

    @Override
    public int getPort() {
        return 0;
    }

    @Override
    public int getLocalPort() {
        return -1;
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return null;
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return null;
    }

    @Override
    public SocketChannel getChannel() {
        return null;
    }

    @Override
    public void setSoTimeout(int timeout) {
        soTimeout = timeout;
    }

    @Override
    public int getSoTimeout() {
        return soTimeout;
    }

    /** Zero: closing never waits for a writer stuck on a peer that doesn't read. */
    @Override
    public int getSoLinger() {
        return 0;
    }

    @Override
    public void setSoLinger(boolean on, int linger) {
        // not applicable
    }

    @Override
    public void setTcpNoDelay(boolean on) {
        // not applicable
    }

    @Override
    public boolean getTcpNoDelay() {
        return true;
    }

    @Override
    public void setKeepAlive(boolean on) {
        // not applicable
    }

    @Override
    public boolean getKeepAlive() {
        return false;
    }

    @Override
    public String toString() {
        return "ChannelSocket[" + channel + "]";
    }
}
