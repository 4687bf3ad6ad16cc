package dev.corral.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.channels.SocketChannel;

/** Terminates TLS on both sides of a connection to a host whose requests get secrets. */
public interface TlsInterception {
    /** Completes the sandbox's handshake with a certificate for {@code host} from Corral's CA. */
    Stream acceptClient(SocketChannel client, byte[] alreadyRead, String host) throws IOException;

    /** Completes the upstream handshake, verified against the system's trust and the user's extra CAs. */
    Stream connectUpstream(Socket connected, String host, int port) throws IOException;

    /** Both directions of a TLS connection. */
    interface Stream extends AutoCloseable {
        InputStream input() throws IOException;

        OutputStream output() throws IOException;

        /** The read timeout in milliseconds, 0 for none; a read that times out leaves the stream usable. */
        void readTimeout(int millis) throws IOException;

        /** Ends the sending direction, where TLS allows it. */
        void shutdownOutput();

        @Override
        void close();
    }
}
