package dev.corral.secrets;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Picks where values go: the desktop keyring when this session has one (a D-Bus session bus and
 * {@code secret-tool}), otherwise Corral's encrypted file. {@value #OVERRIDE} ({@code file} or
 * {@code secret-service}) forces the choice. Values already stored are read from the store their
 * index entry names, whatever the current choice.
 */
final class ValueStores {
    static final String OVERRIDE = "CORRAL_SECRET_STORE";
    static final String BUS = "DBUS_SESSION_BUS_ADDRESS";
    static final String SECRET_TOOL = "secret-tool";

    private final Map<String, String> env;
    private final Optional<Path> secretTool;
    private final SecretValues file;
    private final ProcessRunner runner;

    /**
     * @param which finds a program by name, like {@code Executables::find}
     */
    ValueStores(Path valuesFile, Path keyFile, SecureRandom random, Map<String, String> env,
                Function<String, Optional<Path>> which, ProcessRunner runner) {
        this.env = Map.copyOf(env);
        this.file = new EncryptedFileValues(valuesFile, keyFile, random);
        this.runner = runner;
        String bus = env.get(BUS);
        this.secretTool = bus == null || bus.isBlank() ? Optional.empty() : which.apply(SECRET_TOOL);
    }

    /** Where a new value goes. */
    SecretValues forWriting() {
        String forced = env.getOrDefault(OVERRIDE, "");
        return switch (forced) {
            case "" -> secretTool.isPresent() ? secretService() : file;
            case SecretEntry.FILE -> file;
            case SecretEntry.SECRET_SERVICE -> {
                if (secretTool.isEmpty()) throw unreachable(OVERRIDE + "=" + forced);
                yield secretService();
            }
            default -> throw new SecretException(OVERRIDE + "=" + forced + " is not a secret store",
                    "set it to " + SecretEntry.FILE + " or " + SecretEntry.SECRET_SERVICE + ", or unset it");
        };
    }

    /** The store that holds values recorded as {@code kind}; {@code forWhat} names them in errors. */
    SecretValues forKind(String kind, String forWhat) {
        if (kind.equals(SecretEntry.FILE)) return file;
        if (secretTool.isPresent()) return secretService();
        throw unreachable(forWhat);
    }

    private SecretValues secretService() {
        return new SecretToolValues(secretTool.orElseThrow(), runner);
    }

    private SecretException unreachable(String what) {
        String why = env.getOrDefault(BUS, "").isBlank()
                ? BUS + " is not set (no desktop session)"
                : SECRET_TOOL + " is not installed";
        String fix = why.startsWith(BUS)
                ? "run the command in your desktop session"
                : "install it: sudo apt-get install libsecret-tools";
        return new SecretException(what + " needs " + SecretToolValues.LOCATION + ", which can't be reached: " + why, fix);
    }
}
