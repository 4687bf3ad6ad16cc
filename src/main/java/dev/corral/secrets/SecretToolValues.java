package dev.corral.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Values in the desktop keyring (the freedesktop Secret Service: GNOME Keyring, KWallet…) through
 * libsecret's {@code secret-tool}, each item found by the attributes {@code service corral secret NAME}.
 * The value goes to {@code secret-tool store} on its stdin, never in its arguments.
 */
final class SecretToolValues implements SecretValues {
    static final String LOCATION = "the desktop keyring (Secret Service)";
    private final Path secretTool;
    private final ProcessRunner runner;

    SecretToolValues(Path secretTool, ProcessRunner runner) {
        this.secretTool = secretTool;
        this.runner = runner;
    }

    @Override
    public String kind() {
        return SecretEntry.SECRET_SERVICE;
    }

    @Override
    public String location() {
        return LOCATION;
    }

    List<String> storeArgv(String name) {
        return command("store", "--label=Corral secret " + name, name);
    }

    List<String> lookupArgv(String name) {
        return command("lookup", null, name);
    }

    List<String> clearArgv(String name) {
        return command("clear", null, name);
    }

    @Override
    public Map<String, String> read(Collection<String> names) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : names) {
            ProcessRunner.Result r = run(lookupArgv(name), new byte[0], "read secret " + name + " from");
            try {
                if (r.exit() == 0) {
                    values.put(name, new String(r.stdout(), StandardCharsets.UTF_8));
                } else if (!r.stderr().isBlank()) {
                    throw failure("read secret " + name + " from", r);
                }
            } finally {
                Arrays.fill(r.stdout(), (byte) 0);
            }
        }
        return values;
    }

    @Override
    public void write(String name, String value) {
        byte[] input = value.getBytes(StandardCharsets.UTF_8);
        try {
            ProcessRunner.Result r = run(storeArgv(name), input, "store secret " + name + " in");
            if (r.exit() != 0) throw failure("store secret " + name + " in", r);
        } finally {
            Arrays.fill(input, (byte) 0);
        }
    }

    @Override
    public void delete(String name) {
        ProcessRunner.Result r = run(clearArgv(name), new byte[0], "remove secret " + name + " from");
        if (r.exit() != 0 && !r.stderr().isBlank()) throw failure("remove secret " + name + " from", r);
    }

    private List<String> command(String action, String option, String name) {
        List<String> argv = new java.util.ArrayList<>(List.of(secretTool.toString(), action));
        if (option != null) argv.add(option);
        argv.addAll(List.of("service", "corral", "secret", name));
        return List.copyOf(argv);
    }

    private ProcessRunner.Result run(List<String> argv, byte[] stdin, String what) {
        try {
            return runner.run(argv, stdin);
        } catch (IOException e) {
            throw new SecretException("cannot " + what + " " + LOCATION + ": " + e.getMessage(), fix(), e);
        }
    }

    private SecretException failure(String what, ProcessRunner.Result r) {
        String reason = r.stderr().strip().lines().findFirst().orElse("exit status " + r.exit());
        if (reason.length() > 200) reason = reason.substring(0, 200) + "…";
        return new SecretException("cannot " + what + " " + LOCATION + ": " + reason, fix());
    }

    private static String fix() {
        return "unlock the keyring in your desktop session, or keep secrets in Corral's encrypted file: export "
                + ValueStores.OVERRIDE + "=" + SecretEntry.FILE;
    }
}
