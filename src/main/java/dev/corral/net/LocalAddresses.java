package dev.corral.net;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The host's own addresses, on every interface: a sandbox reaching one of them reaches the host's
 * services bound to all addresses (dev servers, published container ports), past any firewall
 * that filters only what comes from outside. Refreshed every few seconds, as interfaces come and go.
 */
public final class LocalAddresses implements Predicate<InetAddress> {
    private static final long REFRESH_NANOS = 5_000_000_000L;
    private volatile Set<InetAddress> addresses = Set.of();
    private volatile long readAt = Long.MIN_VALUE;

    @Override
    public boolean test(InetAddress address) {
        long now = System.nanoTime();
        if (readAt == Long.MIN_VALUE || now - readAt > REFRESH_NANOS) refresh(now);
        return addresses.contains(address);
    }

    private synchronized void refresh(long now) {
        if (readAt != Long.MIN_VALUE && now - readAt <= REFRESH_NANOS) return;
        Set<InetAddress> found = new HashSet<>();
        try {
            var interfaces = NetworkInterface.getNetworkInterfaces();
            while (interfaces != null && interfaces.hasMoreElements()) {
                var addresses = interfaces.nextElement().getInetAddresses();
                while (addresses.hasMoreElements()) {
                    InetAddress a = addresses.nextElement();
                    found.add(a instanceof java.net.Inet6Address v6 && v6.getScopeId() != 0
                            ? InetAddress.getByAddress(v6.getAddress()) : a); // compare without the zone
                }
            }
        } catch (SocketException | java.net.UnknownHostException e) {
            // keep what was known; the other checks still apply
            return;
        }
        addresses = Set.copyOf(found);
        readAt = now;
    }
}
