package dev.corral.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches what a secret's host answers for the secret's real value. An API that stores what it is
 * sent and shows it again (a gist, a comment, an echo) would otherwise hand the value the proxy put
 * in straight back to the sandbox: the connection is cut before the bytes that carry it pass. (The
 * request asked for an uncompressed answer; a host that encodes the value in some other way is
 * beyond this check, see the README's known limits.)
 */
final class ResponseGuard {
    static final int HOLD_MILLIS = 200;

    private ResponseGuard() {
    }

    /** Sets the read timeout of the answer's stream, in milliseconds (0: none). */
    interface ReadTimeout {
        void set(int millis) throws IOException;
    }

    /** The routes that look for the real values: the value as the "placeholder" to find. */
    static List<SecretRoute> watching(List<SecretRoute> secrets) {
        List<SecretRoute> watch = new ArrayList<>();
        for (SecretRoute s : secrets) {
            if (s.value().length >= 8) watch.add(new SecretRoute(s.name(), s.value(), s.value(), s.hosts()));
        }
        return watch;
    }

    /**
     * Copies the answer until its end, or until a real value shows up: then nothing more passes and
     * the names of the secrets go to {@code found}.
     */
    static void copy(InputStream in, OutputStream out, AtomicLong counter, List<SecretRoute> watch, List<String> found,
                     ReadTimeout timeout, Runnable endOfStream) throws IOException {
        StreamReplacer detector = new StreamReplacer(List.of(), watch);
        byte[] buffer = new byte[Relay.BUFFER];
        int n;
        while (true) {
            // bytes that might start a value wait for the next ones, but not for long: a kept-alive
            // answer that happens to end like the start of a value must not hang
            timeout.set(detector.holding() ? HOLD_MILLIS : 0);
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                byte[] held = detector.finish();
                out.write(held);
                out.flush();
                counter.addAndGet(held.length);
                continue;
            }
            if (n < 0) break;
            byte[] pass = detector.feed(buffer, 0, n);
            if (!detector.misdirected().isEmpty()) {
                found.addAll(detector.misdirected());
                throw new IOException("a secret's real value in the answer");
            }
            out.write(pass);
            out.flush();
            counter.addAndGet(pass.length);
        }
        byte[] rest = detector.finish();
        out.write(rest);
        out.flush();
        counter.addAndGet(rest.length);
        endOfStream.run();
    }
}
