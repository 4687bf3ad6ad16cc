package dev.corral.it;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds the sandbox's processes from the host by a marker in their command line: a sandbox runs
 * {@code sleep 2xx.yyyyyy} with a duration no other process on the machine uses, and the host
 * looks for it with {@link ProcessHandle#allProcesses()}.
 */
final class HostMarkers {
    private HostMarkers() {
    }

    /** A unique duration for {@code sleep}, between 200 and 300 seconds. */
    static String sleepMarker() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return (200 + random.nextInt(100)) + "." + (100000 + random.nextInt(900000));
    }

    /** Every host process whose command line contains the marker, as "pid command line". */
    static List<String> processesWith(String marker) {
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != self)
                .filter(p -> p.info().commandLine().orElse("").contains(marker))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                .toList();
    }

    /** The pids of host processes running {@code sleep MARKER} itself (not the shells or bubblewrap that mention it). */
    static List<Long> sleepers(String marker) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().orElse("").endsWith("/sleep"))
                .filter(p -> p.info().commandLine().orElse("").contains(marker))
                .map(ProcessHandle::pid)
                .toList();
    }

    /** Waits until at least {@code count} sleepers with the marker run; false on timeout. */
    static boolean awaitSleepers(String marker, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (sleepers(marker).size() < count) {
            if (System.nanoTime() > deadline) return false;
            pause();
        }
        return true;
    }

    /** Waits until no host process mentions the marker; what is left on timeout. */
    static List<String> awaitNone(String marker, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> left = processesWith(marker);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            pause();
            left = processesWith(marker);
        }
        return left;
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
