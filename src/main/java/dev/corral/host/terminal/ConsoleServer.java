package dev.corral.host.terminal;

import java.io.Closeable;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * The socket thread of a {@link DetachedConsole}: one selector for the listening socket and every
 * attached client, none of them ever waited for. It accepts clients, reads their frames (input goes
 * to {@link PendingInput}, a window size to the pty), writes them the output the pump queued, drops
 * those that misbehave or fall behind, and at the end tells them the exit status.
 */
final class ConsoleServer implements Runnable {
    private final Selector selector;
    private final ServerSocketChannel listener;
    private final Pty pty;
    private final PendingInput input;
    private final List<ConsoleConnection> clients = new CopyOnWriteArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private ConsolePump pump;
    private volatile boolean running = true;
    private boolean anyPaused;
    private volatile Integer exitStatus;
    private boolean exitSent;

    ConsoleServer(ServerSocketChannel listener, Pty pty, PendingInput input) throws IOException {
        this.selector = Selector.open();
        this.listener = listener;
        this.pty = pty;
        this.input = input;
        try {
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
    }

    /** The pump to hand input to; set once, before {@link #run} starts. */
    void feeding(ConsolePump pump) {
        this.pump = pump;
    }

    @Override
    public void run() {
        try {
            while (running) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    if (!key.isValid()) continue;
                    if (key.isAcceptable()) accept();
                    else if (key.isReadable()) read((ConsoleConnection) key.attachment());
                }
                selector.selectedKeys().clear();
                if (exitStatus != null && !exitSent) sendExit(exitStatus);
                if (anyPaused) resumePaused();
                flushAll();
            }
        } catch (IOException | RuntimeException e) {
            // the selector itself failed: the clients are closed below and see the console as lost
        } finally {
            for (ConsoleConnection client : clients) drop(client);
            closeQuietly(listener);
            closeQuietly(selector);
            ended.countDown();
        }
    }

    /** Queues a DATA frame for every client; the pump's. */
    void broadcast(byte[] frame) {
        for (ConsoleConnection client : clients) client.send(frame);
        selector.wakeup();
    }

    boolean hasClients() {
        return !clients.isEmpty();
    }

    int clientCount() {
        return clients.size();
    }

    /**
     * The pump gave the sandbox some input: clients waiting for room may go on. Always wakes the
     * selector: a client may be pausing at this very moment, after its frame did not fit.
     */
    void inputTaken() {
        selector.wakeup();
    }

    /** Tells every client the exit status, closes each once it has it, and accepts no more. */
    void finish(int status) {
        exitStatus = status;
        selector.wakeup();
    }

    /** Ends the thread, closing every client and the listening socket. */
    void stop() {
        running = false;
        selector.wakeup();
    }

    boolean awaitEnd(Duration timeout) {
        return Ended.await(ended, timeout);
    }

    private void accept() throws IOException {
        SocketChannel channel;
        while ((channel = listener.accept()) != null) {
            try {
                channel.configureBlocking(false);
                ConsoleConnection client = new ConsoleConnection(channel);
                channel.register(selector, SelectionKey.OP_READ, client);
                clients.add(client);
            } catch (IOException | RuntimeException e) {
                closeQuietly(channel);
            }
        }
    }

    private void read(ConsoleConnection client) {
        try {
            if (client.channel.read(client.in) < 0) {
                drop(client);
                return;
            }
            handleFrames(client);
        } catch (IOException e) {
            drop(client); // including ProtocolException: a malformed frame ends this client only
        }
    }

    private void handleFrames(ConsoleConnection client) throws ProtocolException {
        client.in.flip();
        try {
            while (true) {
                int start = client.in.position();
                ConsoleFrames.Frame frame = ConsoleFrames.next(client.in, ConsoleFrames.Sender.CLIENT);
                if (frame == null) return;
                switch (frame) {
                    case ConsoleFrames.Data data -> {
                        if (!input.offer(data.bytes())) {
                            client.in.position(start);
                            pause(client);
                            return;
                        }
                        pump.inputArrived();
                    }
                    case ConsoleFrames.Resize resize -> resize(client, resize.size());
                    case ConsoleFrames.Exit _ -> throw new ProtocolException("an exit frame from a client");
                }
            }
        } finally {
            client.in.compact();
        }
    }

    /**
     * Applies a client's window size. On attaching, a size the pty has already is changed and changed
     * back, so that a full-screen program gets SIGWINCH and redraws its screen for the newcomer.
     */
    private void resize(ConsoleConnection client, WindowSize size) {
        boolean attaching = !client.sized;
        client.sized = true;
        try {
            if (attaching && pty.windowSize().equals(Optional.of(size))) {
                int rows = size.rows() < 0xFFFF ? size.rows() + 1 : size.rows() - 1;
                pty.setWindowSize(new WindowSize(rows, size.cols()));
            }
            pty.setWindowSize(size);
        } catch (RuntimeException closed) {
            // the console is closing: there is no terminal left to resize
        }
    }

    private void pause(ConsoleConnection client) {
        client.paused = true;
        anyPaused = true;
        SelectionKey key = client.channel.keyFor(selector);
        if (key != null && key.isValid()) key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
    }

    private void resumePaused() {
        anyPaused = false;
        for (ConsoleConnection client : clients) {
            if (!client.paused) continue;
            client.paused = false;
            try {
                handleFrames(client);
            } catch (ProtocolException e) {
                drop(client);
                continue;
            }
            SelectionKey key = client.channel.keyFor(selector);
            if (!client.paused && key != null && key.isValid()) key.interestOps(key.interestOps() | SelectionKey.OP_READ);
        }
    }

    private void sendExit(int status) {
        exitSent = true;
        byte[] frame = ConsoleFrames.exit(status);
        for (ConsoleConnection client : clients) {
            client.send(frame);
            client.closeWhenFlushed = true;
        }
        SelectionKey key = listener.keyFor(selector);
        if (key != null) key.cancel();
        closeQuietly(listener);
    }

    private void flushAll() {
        for (ConsoleConnection client : clients) {
            if (client.dropped()) {
                drop(client);
                continue;
            }
            SelectionKey key = client.channel.keyFor(selector);
            try {
                boolean done = client.flush();
                if (done && client.closeWhenFlushed) {
                    drop(client);
                } else if (key != null && key.isValid()) {
                    int ops = key.interestOps();
                    key.interestOps(done ? ops & ~SelectionKey.OP_WRITE : ops | SelectionKey.OP_WRITE);
                }
            } catch (IOException gone) {
                drop(client);
            }
        }
    }

    private void drop(ConsoleConnection client) {
        client.drop();
        clients.remove(client);
        closeQuietly(client.channel); // also cancels its key
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // closing a socket: nothing to report to anyone
        }
    }
}
