package dev.corral.app;

import dev.corral.net.AddressFilter;
import dev.corral.net.Decision;
import dev.corral.net.DecisionLog;
import dev.corral.net.EgressFilter;
import dev.corral.net.EgressProxy;
import dev.corral.net.FilterChain;
import dev.corral.net.LocalAddresses;
import dev.corral.net.ProxySettings;
import dev.corral.net.SecretRoute;
import dev.corral.net.TlsInterception;
import dev.corral.net.tls.CertificateAuthority;
import dev.corral.net.tls.InterceptingTls;
import dev.corral.net.tls.TrustFiles;
import dev.corral.net.tls.UpstreamTls;
import dev.corral.policy.NetworkEnvironment;
import dev.corral.policy.NetworkRule;
import dev.corral.policy.NetworkRules;
import dev.corral.policy.RuleFilter;
import dev.corral.policy.UserConfig;
import dev.corral.sandbox.CorralPaths;
import dev.corral.sandbox.NetworkAccess;
import dev.corral.sandbox.SandboxException;
import dev.corral.sandbox.SandboxSpec;
import dev.corral.sandbox.SandboxStore;
import dev.corral.secrets.ResolvedSecret;
import dev.corral.secrets.SecretEntry;
import dev.corral.secrets.SecretStore;
import dev.corral.support.Files2;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A sandbox's network while it runs: its egress proxy (rules that follow {@code corral policy},
 * the decision log, notices of denials, secrets put into requests to their hosts) and the folder
 * and environment through which the sandbox reaches it.
 */
public final class SandboxNetwork implements AutoCloseable {
    private final EgressProxy proxy;
    private final NetworkAccess access;

    private SandboxNetwork(EgressProxy proxy, NetworkAccess access) {
        this.proxy = proxy;
        this.access = access;
    }

    /**
     * @param agentRules what the sandbox's agent adds to the stored rules
     * @param agentSecrets the secrets the sandbox gets, each with the variables that carry it besides
     *                     its own; empty for all of the user's
     */
    public static SandboxNetwork start(SandboxSpec spec, Path runtimeDir, SandboxStore store, Supplier<CertificateAuthority> caSource,
                                       SecretStore secrets, UserConfig config, Supplier<List<NetworkRule>> agentRules,
                                       Optional<Map<String, List<String>>> agentSecrets, Consumer<String> notices) {
        Path dir = directory(runtimeDir);
        List<SecretEntry> entries = secrets.entries().stream()
                .filter(e -> agentSecrets.map(names -> names.containsKey(e.name())).orElse(true)).toList();
        Optional<TlsInterception> tls = Optional.empty();
        List<SecretRoute> routes = new ArrayList<>();
        if (!entries.isEmpty()) {
            CertificateAuthority ca = caSource.get();
            TrustFiles.write(dir, ca, TrustFiles.SYSTEM_BUNDLE);
            List<Path> extraCas = config.caFiles();
            tls = Optional.of(new InterceptingTls(ca, memoize(() -> UpstreamTls.context(extraCas))));
            for (ResolvedSecret secret : secrets.resolveAll()) {
                SecretEntry entry = secret.entry();
                if (!entries.contains(entry)) continue;
                routes.add(SecretRoute.of(entry.name(), entry.placeholder(), secret.value(), entry::allowsHost));
            }
        }
        LivePolicy policy = new LivePolicy(store, spec.name(), spec.network(), () -> {
            List<NetworkRule> extra = new ArrayList<>(config.rules());
            extra.addAll(agentRules.get());
            return extra;
        });
        DecisionLog log = new DecisionLog(store.netLog(spec.name()));
        DenialNotices denials = new DenialNotices(notices, spec.name().value());
        Decision.Sink sink = decision -> {
            log.record(decision);
            denials.record(decision);
        };
        return open(spec, dir, policy::rules, sink, routes, tls, environment(entries, agentSecrets.orElse(Map.of())));
    }

    /**
     * The network of a sandbox Corral runs for itself, an agent's installer: the spec's rules and
     * the user's, fixed for its life; every decision goes to {@code sink}; no secrets.
     */
    public static SandboxNetwork startFixed(SandboxSpec spec, Path runtimeDir, UserConfig config, Decision.Sink sink) {
        NetworkRules rules = NetworkRules.of(spec.network(), config.rules());
        return open(spec, directory(runtimeDir), () -> rules, sink, List.of(), Optional.empty(), environment(List.of(), Map.of()));
    }

    private static SandboxNetwork open(SandboxSpec spec, Path dir, Supplier<NetworkRules> rules, Decision.Sink sink,
                                       List<SecretRoute> routes, Optional<TlsInterception> tls, Map<String, String> environment) {
        AddressFilter addresses = new AddressFilter(AddressFilter.systemResolver(),
                (address, port) -> rules.get().deniedAddress(address, port), new LocalAddresses());
        FilterChain chain = new FilterChain(List.<EgressFilter>of(new RuleFilter(rules::get), addresses));
        ProxySettings settings = ProxySettings.of(spec.name().value(), () -> chain, sink, routes, tls);
        try {
            EgressProxy proxy = EgressProxy.start(dir.resolve(NetworkAccess.SOCKET), settings);
            return new SandboxNetwork(proxy, new NetworkAccess(dir, environment));
        } catch (IOException e) {
            throw new SandboxException("cannot start the sandbox's proxy in " + dir + ": " + e.getMessage(),
                    "check that " + dir + " is writable", e);
        }
    }

    private static Path directory(Path runtimeDir) {
        Path dir = runtimeDir.resolve("net");
        try {
            Files2.createPrivateDirectories(dir);
        } catch (IOException e) {
            throw new SandboxException("cannot create " + dir + ": " + e.getMessage(), "check that it is writable", e);
        }
        return dir;
    }

    /**
     * The user's CA, for a launch that may need it: with {@code early}, loaded (or created) at once
     * on a daemon thread — parsing its key costs tens of milliseconds the launch spends on other
     * things meanwhile; otherwise only when asked for.
     */
    public static Supplier<CertificateAuthority> loadCa(CorralPaths paths, boolean early) {
        return new CaLoader(paths.data().resolve("ca"), early);
    }

    /** A class, not lambdas: this is on the start path, where each lambda costs a bootstrap. */
    private static final class CaLoader implements Supplier<CertificateAuthority>, Runnable {
        private final Path dir;
        private final java.util.concurrent.CompletableFuture<CertificateAuthority> future = new java.util.concurrent.CompletableFuture<>();

        private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();

        CaLoader(Path dir, boolean early) {
            this.dir = dir;
            if (early) Thread.ofPlatform().daemon(true).name("corral-load-ca").start(this);
        }

        @Override
        public void run() {
            if (!started.compareAndSet(false, true)) return; // loading already, elsewhere
            try {
                future.complete(CertificateAuthority.loadOrCreate(dir));
            } catch (Throwable e) {
                future.completeExceptionally(e);
            }
        }

        @Override
        public CertificateAuthority get() {
            run(); // not started early: load now; started: wait for it
            try {
                return future.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof RuntimeException cause) throw cause;
                throw e;
            }
        }
    }

    /**
     * Sets up, beside the request's resolution, what opening the proxy's socket costs the first
     * time: the JDK's Unix-domain sockets seed a SecureRandom (loading the security providers),
     * tens of milliseconds on the start path otherwise.
     */
    public static void prefetch() {
        Thread.ofPlatform().daemon(true).name("corral-prefetch-net").start(() -> {
            try {
                java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX).close();
            } catch (IOException | RuntimeException e) {
                // the real start reports it
            }
        });
    }

    /** What the sandbox's programs see: proxy variables, CA files when secrets are in play, placeholders. */
    public static Map<String, String> environment(List<SecretEntry> secrets) {
        return environment(secrets, Map.of());
    }

    /** @param extraVariables more variables that carry a secret's placeholder, by secret name */
    static Map<String, String> environment(List<SecretEntry> secrets, Map<String, List<String>> extraVariables) {
        Map<String, String> placeholders = new LinkedHashMap<>();
        for (SecretEntry entry : secrets) {
            for (String variable : entry.envVars()) placeholders.put(variable, entry.placeholder());
            for (String variable : extraVariables.getOrDefault(entry.name(), List.of())) placeholders.put(variable, entry.placeholder());
        }
        Optional<String> system = java.nio.file.Files.isRegularFile(TrustFiles.SYSTEM_BUNDLE)
                ? Optional.of(TrustFiles.SYSTEM_BUNDLE.toString()) : Optional.empty();
        return NetworkEnvironment.of(NetworkAccess.PROXY_PORT,
                secrets.isEmpty() ? Optional.empty() : Optional.of(NetworkAccess.SANDBOX_DIR), system, placeholders);
    }

    public NetworkAccess access() {
        return access;
    }

    @Override
    public void close() {
        proxy.close();
    }

    private static <T> Supplier<T> memoize(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) value = supplier.get();
                return value;
            }
        };
    }
}
