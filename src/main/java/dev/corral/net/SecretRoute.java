package dev.corral.net;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A credential the proxy puts into requests: wherever the placeholder appears in a request to one
 * of the secret's hosts, the real value goes upstream instead. {@link #toString()} never shows it.
 */
public record SecretRoute(String name, byte[] placeholder, byte[] value, Predicate<String> hosts) {
    public SecretRoute {
        Objects.requireNonNull(name, "name");
        if (placeholder.length < 8) throw new IllegalArgumentException("placeholder too short");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(hosts, "hosts");
    }

    public static SecretRoute of(String name, String placeholder, String value, Predicate<String> hosts) {
        return new SecretRoute(name, placeholder.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8), hosts);
    }

    public boolean servesHost(String host) {
        return hosts.test(host);
    }

    @Override
    public String toString() {
        return "SecretRoute[" + name + "]";
    }
}
