package dev.corral.net;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What one sandbox's proxy works with.
 *
 * @param filters          decides every connection (see {@link FilterChain})
 * @param sink             receives every decision (the log, the user's notices)
 * @param secrets          the credentials to put into requests to their hosts
 * @param tls              terminates TLS for hosts that have secrets; empty when there are none
 * @param handshakeTimeout how long a client may take to say what it wants (greeting, head, TLS hello)
 * @param connectTimeout   how long an upstream may take to accept
 * @param maxConnections   connections served at once; more get a "busy" answer
 * @param label            the sandbox's name, for the hints in answers to denied requests
 */
public record ProxySettings(String label, Supplier<EgressFilter.Chain> filters, Decision.Sink sink, List<SecretRoute> secrets,
                            Optional<TlsInterception> tls, Duration handshakeTimeout, Duration connectTimeout,
                            int maxConnections) {
    public ProxySettings {
        Objects.requireNonNull(filters, "filters");
        Objects.requireNonNull(sink, "sink");
        secrets = List.copyOf(secrets);
        Objects.requireNonNull(tls, "tls");
        if (!secrets.isEmpty() && tls.isEmpty()) throw new IllegalArgumentException("secrets need TLS interception");
    }

    public static ProxySettings of(String label, Supplier<EgressFilter.Chain> filters, Decision.Sink sink,
                                   List<SecretRoute> secrets, Optional<TlsInterception> tls) {
        return new ProxySettings(label, filters, sink, secrets, tls, Duration.ofSeconds(30), Duration.ofSeconds(15), 4096);
    }
}
