package dev.corral.net;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One line of the decision log: a connection the sandbox asked for and what became of it.
 *
 * @param rule     the rule or check that decided
 * @param reason   why a connection was denied or failed; empty otherwise
 * @param secrets  the secrets put into its requests
 * @param warnings what else the user should know, e.g. a placeholder sent to a host it isn't for
 */
public record Decision(Instant time, String protocol, String host, int port, Optional<String> method, boolean allowed,
                       String rule, String reason, Optional<String> address, long bytesUp, long bytesDown,
                       List<String> secrets, List<String> warnings) {
    public Decision {
        secrets = List.copyOf(secrets);
        warnings = List.copyOf(warnings);
    }

    public static Decision denied(EgressRequest request, Verdict verdict) {
        return new Decision(Instant.now(), request.protocol(), request.host(), request.port(), request.method(), false,
                verdict.rule(), verdict.reason(), Optional.empty(), 0, 0, List.of(), List.of());
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("time", time.toString());
        map.put("protocol", protocol);
        map.put("host", host);
        map.put("port", port);
        method.ifPresent(m -> map.put("method", m));
        map.put("decision", allowed ? "allow" : "deny");
        map.put("rule", rule);
        if (!reason.isEmpty()) map.put("reason", reason);
        address.ifPresent(a -> map.put("address", a));
        map.put("bytesUp", bytesUp);
        map.put("bytesDown", bytesDown);
        if (!secrets.isEmpty()) map.put("secrets", secrets);
        if (!warnings.isEmpty()) map.put("warnings", warnings);
        return map;
    }

    /** Reads a line of the log back; fields it doesn't know are ignored. */
    @SuppressWarnings("unchecked")
    public static Decision fromMap(Map<String, Object> map) {
        return new Decision(Instant.parse((String) map.get("time")), (String) map.getOrDefault("protocol", ""),
                (String) map.get("host"), ((Number) map.get("port")).intValue(), Optional.ofNullable((String) map.get("method")),
                "allow".equals(map.get("decision")), (String) map.getOrDefault("rule", ""), (String) map.getOrDefault("reason", ""),
                Optional.ofNullable((String) map.get("address")), number(map.get("bytesUp")), number(map.get("bytesDown")),
                (List<String>) map.getOrDefault("secrets", List.of()), (List<String>) map.getOrDefault("warnings", List.of()));
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }

    /** Receives every decision as it is made. */
    public interface Sink {
        void record(Decision decision);
    }
}
