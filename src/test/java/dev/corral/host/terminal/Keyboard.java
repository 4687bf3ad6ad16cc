package dev.corral.host.terminal;

import dev.corral.host.Libc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The user's terminal for an in-process {@link ConsoleClient}: a pty whose slave this JVM opens and
 * hands the client as its standard input, while the test types at the master.
 */
final class Keyboard implements AutoCloseable {
    private final Pty pty;
    private final int slave;
    private final MasterEnd master;

    private Keyboard(Pty pty, int slave) {
        this.pty = pty;
        this.slave = slave;
        this.master = MasterEnd.of(pty);
    }

    /** A terminal in raw mode already, so keys typed before the client switches it arrive whole. */
    static Keyboard raw() {
        Keyboard keyboard = cooked();
        Termios.of(keyboard.slave).orElseThrow().raw().applyTo(keyboard.slave);
        return keyboard;
    }

    /** A terminal with the usual settings a shell leaves. */
    static Keyboard cooked() {
        Pty pty = Pty.open();
        int slave = Libc.open(pty.slavePath().toString(), Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_CLOEXEC);
        if (slave < 0) throw new AssertionError("cannot open " + pty.slavePath() + ": " + Libc.strerror(Libc.errno()));
        return new Keyboard(pty, slave);
    }

    /** The descriptor the client reads. */
    int fd() {
        return slave;
    }

    void type(String text) {
        master.type(text.getBytes(StandardCharsets.UTF_8));
    }

    void type(byte... bytes) {
        master.type(bytes);
    }

    void resize(WindowSize size) {
        pty.setWindowSize(size);
    }

    /** The terminal's settings as {@code stty -a} lists them. */
    List<String> settings() throws IOException, InterruptedException {
        Process stty = new ProcessBuilder("stty", "-a", "-F", pty.slavePath().toString()).redirectErrorStream(true).start();
        String out = new String(stty.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (stty.waitFor() != 0) throw new AssertionError(out);
        return List.of(out.split("[\\s;]+"));
    }

    @Override
    public void close() {
        Libc.close(slave);
        try {
            master.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pty.close();
    }
}
