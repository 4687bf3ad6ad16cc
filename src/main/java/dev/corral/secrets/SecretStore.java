package dev.corral.secrets;

import dev.corral.host.Executables;
import dev.corral.sandbox.CorralPaths;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The user's secrets, outside every sandbox. Metadata in {@code <data>/secrets/index.json}, values
 * in the encrypted {@code <data>/secrets/values.enc} (key in {@code <config>/keys/secrets.key}) or
 * in the desktop keyring; everything mode 0600 in 0700 folders. Changes run under a lock, so
 * concurrent {@code corral secret set} don't lose each other's updates.
 *
 * <p>A secret's placeholder is made once, when it is first set, and kept when its value changes.
 */
public final class SecretStore {
    /** The most a value may be, in UTF-8 bytes ({@code secret-tool} reads at most 8 KiB). */
    public static final int MAX_VALUE_BYTES = 8000;
    private static final Duration HELPER_TIMEOUT = Duration.ofMinutes(2);

    private final Path dir;
    private final Path index;
    private final ValueStores values;
    private final SecureRandom random;
    private final Clock clock;

    SecretStore(Path dir, ValueStores values, SecureRandom random, Clock clock) {
        this.dir = dir;
        this.index = dir.resolve("index.json");
        this.values = values;
        this.random = random;
        this.clock = clock;
    }

    /** The store of the user whose folders {@code paths} are, choosing value stores from {@code env}. */
    public static SecretStore open(CorralPaths paths, Map<String, String> env) {
        SecureRandom random = new LazySecureRandom();
        Path dir = directory(paths);
        ValueStores values = new ValueStores(dir.resolve("values.enc"), keyFile(paths), random, env,
                Executables::find, ProcessRunner.system(env, HELPER_TIMEOUT));
        return new SecretStore(dir, values, random, Clock.systemUTC());
    }

    public static Path directory(CorralPaths paths) {
        return paths.data().resolve("secrets");
    }

    public static Path keyFile(CorralPaths paths) {
        return paths.config().resolve("keys").resolve("secrets.key");
    }

    /** Every secret's metadata, in the order they were first set; decrypts nothing. */
    public List<SecretEntry> entries() {
        return SecretIndex.read(index);
    }

    public Optional<SecretEntry> find(String name) {
        return entries().stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** Every secret with its value, for the supervisor's proxy; fails if any value can't be read. */
    public List<ResolvedSecret> resolveAll() {
        if (!Files.isDirectory(dir)) return List.of();
        return locked(() -> {
            List<SecretEntry> entries = entries();
            Map<String, List<String>> namesByStore = new LinkedHashMap<>();
            for (SecretEntry e : entries) namesByStore.computeIfAbsent(e.store(), k -> new ArrayList<>()).add(e.name());
            Map<String, String> found = new LinkedHashMap<>();
            namesByStore.forEach((kind, names) -> found.putAll(values.forKind(kind, "secret " + names.getFirst()).read(names)));
            List<ResolvedSecret> resolved = new ArrayList<>();
            for (SecretEntry e : entries) {
                String value = found.get(e.name());
                if (value == null) {
                    throw new SecretException("secret " + e.name() + " has no value in " + e.store(),
                            "set it again: corral secret " + (isBuiltIn(e.name()) ? "set " : "set-custom ") + e.name());
                }
                resolved.add(new ResolvedSecret(e, value));
            }
            return resolved;
        });
    }

    /**
     * Stores {@code value} for the secret, replacing its value, variables and hosts if it exists
     * (its placeholder and creation time stay).
     */
    public SecretEntry set(SecretDefinition definition, String value) {
        checkValue(definition.name(), value);
        PrivateFiles.createPrivateDirectory(dir, "the secrets folder");
        return locked(() -> {
            List<SecretEntry> entries = new ArrayList<>(entries());
            Optional<SecretEntry> existing = entries.stream().filter(e -> e.name().equals(definition.name())).findFirst();
            for (SecretEntry other : entries) {
                if (other.name().equals(definition.name())) continue;
                for (String var : definition.envVars()) {
                    if (other.envVars().contains(var)) {
                        throw new SecretException(var + " already holds secret " + other.name(),
                                "remove that one first: corral secret rm " + other.name());
                    }
                }
            }
            SecretValues target = values.forWriting();
            String placeholder = existing.map(SecretEntry::placeholder).filter(definition.placeholder()::matches)
                    .orElseGet(() -> definition.placeholder().generate(random));
            Instant created = existing.map(SecretEntry::created).orElseGet(() -> clock.instant().truncatedTo(ChronoUnit.SECONDS));
            SecretEntry entry = new SecretEntry(definition.name(), definition.envVars(), definition.hosts(), placeholder, target.kind(), created);
            target.write(entry.name(), value);
            if (existing.isPresent() && !existing.get().store().equals(target.kind())) forgetOldCopy(existing.get());
            entries.replaceAll(e -> e.name().equals(entry.name()) ? entry : e);
            if (existing.isEmpty()) entries.add(entry);
            SecretIndex.write(index, entries);
            return entry;
        });
    }

    /** Forgets the secret and its value. */
    public void remove(String name) {
        if (!Files.isDirectory(dir)) throw unknown(name);
        locked(() -> {
            List<SecretEntry> entries = new ArrayList<>(entries());
            SecretEntry entry = entries.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow(() -> unknown(name));
            values.forKind(entry.store(), "secret " + name).delete(name);
            entries.remove(entry);
            SecretIndex.write(index, entries);
            return null;
        });
    }

    /**
     * Deletes the value a secret had in the store it is moving from. Best effort: the old store
     * may be out of reach (a keyring outside the desktop session), and an old copy in the user's
     * own keyring or file exposes nothing new; failing would leave the secret impossible to update.
     */
    private void forgetOldCopy(SecretEntry old) {
        try {
            values.forKind(old.store(), "secret " + old.name()).delete(old.name());
        } catch (SecretException unreachable) {
            // the old copy stays where only the user can read it
        }
    }

    /** Where {@link #set} puts values now: a file path or the keyring. */
    public String valueLocation() {
        return values.forWriting().location();
    }

    private <T> T locked(Supplier<T> action) {
        PrivateFiles.requirePrivate(dir, "the secrets folder");
        StoreLock lock = StoreLock.acquire(dir.resolve(".lock"));
        try {
            return action.get();
        } finally {
            lock.close();
        }
    }

    private static boolean isBuiltIn(String name) {
        return ServiceCatalog.builtIn().find(name).isPresent();
    }

    private static SecretException unknown(String name) {
        return new SecretException("no secret named " + name, "list secrets with: corral secret ls");
    }

    /** Refuses values the proxy couldn't put in a request; the messages never quote the value. */
    static void checkValue(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new SecretException("the value of secret " + name + " is empty", "give the value on stdin or at the prompt");
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
            throw new SecretException("the value of secret " + name + " is longer than " + MAX_VALUE_BYTES + " bytes",
                    "check that the right text was given");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new SecretException("the value of secret " + name + " contains a control character (a line break or tab?) at position " + (i + 1),
                        "give the value on one line; only one trailing newline is removed");
            }
        }
    }
}
