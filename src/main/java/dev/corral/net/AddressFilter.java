package dev.corral.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The last stage: resolves the host once, drops the addresses the sandbox may not reach (loopback,
 * private, link-local… and the host's own addresses, unless a rule names the host exactly, see
 * {@link AddressClass}; and those a deny rule names literally), and pins the first that is left, so the connection goes where the
 * check looked — no second lookup, no DNS rebinding.
 */
public final class AddressFilter implements EgressFilter {
    /** Looks names up; the JDK's resolver in production. */
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    private final Resolver resolver;
    private final BiFunction<String, Integer, Optional<String>> deniedAddress;

    private final java.util.function.Predicate<InetAddress> local;

    /** @param deniedAddress the deny rule that names an address literally, if any */
    public AddressFilter(Resolver resolver, BiFunction<String, Integer, Optional<String>> deniedAddress) {
        this(resolver, deniedAddress, address -> false);
    }

    /** @param local whether an address is one of the host's own (refused like loopback) */
    public AddressFilter(Resolver resolver, BiFunction<String, Integer, Optional<String>> deniedAddress,
                         java.util.function.Predicate<InetAddress> local) {
        this.resolver = resolver;
        this.deniedAddress = deniedAddress;
        this.local = local;
    }

    public static Resolver systemResolver() {
        return host -> List.of(InetAddress.getAllByName(host));
    }

    @Override
    public Verdict check(EgressRequest request, Chain chain) {
        List<InetAddress> candidates;
        Optional<InetAddress> literal = IpLiterals.parse(request.host());
        if (literal.isPresent()) {
            candidates = List.of(literal.get());
        } else if (IpLiterals.looksNumeric(request.host()) || request.host().indexOf(':') >= 0) {
            return Verdict.deny("address", request.host() + " is neither a valid address nor a host name");
        } else {
            try {
                candidates = resolver.resolve(request.host());
            } catch (UnknownHostException e) {
                return Verdict.deny("address", "the name " + request.host() + " does not resolve");
            }
        }
        List<String> refused = new ArrayList<>();
        for (InetAddress address : candidates) {
            String text = address.getHostAddress();
            Optional<String> denied = deniedAddress.apply(text, request.port());
            if (denied.isPresent()) return Verdict.deny(denied.get(), request.host() + " leads to " + text);
            Optional<String> why = AddressClass.refusal(address).or(() -> local.test(address)
                    ? Optional.of("this host's own address") : Optional.empty());
            if (why.isEmpty() || request.explicit()) return Verdict.allow(request.rule(), address);
            refused.add(text + " (" + why.get() + ")");
        }
        return Verdict.deny("address", request.host() + " leads only to addresses a sandbox may not reach: "
                + String.join(", ", refused));
    }
}
