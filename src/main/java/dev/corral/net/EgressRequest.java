package dev.corral.net;

import java.util.Objects;
import java.util.Optional;

/**
 * A connection the sandbox asks for, as the filters see it.
 *
 * @param protocol how it asked: {@code http} (a plain request through the proxy), {@code connect}
 *                 (an HTTP CONNECT tunnel) or {@code socks}
 * @param host     as the sandbox wrote it, lower case, without brackets or a trailing dot
 * @param method   the HTTP method of a plain request
 * @param rule     the rule that allowed it so far, filled in by the rule stage
 * @param explicit whether that rule names the host exactly (it may then lead to a private address)
 */
public record EgressRequest(String protocol, String host, int port, Optional<String> method, String rule, boolean explicit) {
    public EgressRequest {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rule, "rule");
    }

    public static EgressRequest of(String protocol, String host, int port, Optional<String> method) {
        return new EgressRequest(protocol, host, port, method, "", false);
    }

    public EgressRequest allowedBy(String value, boolean isExplicit) {
        return new EgressRequest(protocol, host, port, method, value, isExplicit);
    }
}
