package dev.corral.backend.docker.engine;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A connection the engine turned into a raw stream: a process's terminal, or its standard streams
 * multiplexed in frames ({@link StreamFrames}) when it has no terminal.
 */
public final class EngineStream implements AutoCloseable {
    private final EngineConnection connection;
    private final InputStream in;

    EngineStream(EngineConnection connection, InputStream in) {
        this.connection = connection;
        this.in = in;
    }

    public InputStream input() {
        return in;
    }

    public OutputStream output() {
        return connection.output();
    }

    /** The process's standard input ends. */
    public void closeInput() {
        connection.closeWrite();
    }

    @Override
    public void close() {
        connection.close();
    }
}
