package dev.corral.secrets;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The environment variables a secret's placeholder may be put in: valid shell names that no
 * program, loader or the sandbox itself relies on for something else. Taking {@code PATH},
 * {@code LD_PRELOAD} or the proxy variables would break the sandbox or run code.
 */
public final class EnvVarNames {
    private static final Set<String> RESERVED = Set.of(
            "PATH", "HOME", "USER", "LOGNAME", "SHELL", "PWD", "OLDPWD", "TERM", "COLORTERM", "TZ", "LANG",
            "LANGUAGE", "IFS", "ENV", "BASH_ENV", "CDPATH", "PS1", "PS2", "PS3", "PS4", "PROMPT_COMMAND",
            "HOSTNAME", "SHLVL", "MAIL", "TMPDIR", "DISPLAY", "WAYLAND_DISPLAY", "SSH_AUTH_SOCK", "EDITOR",
            "VISUAL", "PAGER", "MANPATH", "INPUTRC", "GCONV_PATH", "LOCPATH", "NLSPATH", "HOSTALIASES",
            "RES_OPTIONS", "LOCALDOMAIN", "MALLOC_CHECK_", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS",
            "JDK_JAVA_OPTIONS", "CLASSPATH", "NODE_OPTIONS", "NODE_PATH", "NODE_EXTRA_CA_CERTS", "PYTHONPATH",
            "PYTHONSTARTUP", "PYTHONHOME", "PYTHONUSERBASE", "PERL5OPT", "PERL5LIB", "PERLLIB", "RUBYOPT",
            "RUBYLIB", "GEM_HOME", "GEM_PATH", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY",
            "FTP_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE");
    private static final List<String> RESERVED_PREFIXES = List.of(
            "LD_", "DYLD_", "LC_", "XDG_", "DBUS_", "BASH_FUNC_", "GIT_", "SUDO_", "CORRAL_");

    private EnvVarNames() {
    }

    /** The name, if a secret may use it; otherwise a {@link SecretException} saying why. */
    public static String check(String name) {
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]{0,127}")) {
            throw new SecretException("invalid environment variable name '" + name + "'",
                    "use letters, digits and '_', not starting with a digit, e.g. MY_SERVICE_TOKEN");
        }
        String upper = name.toUpperCase(Locale.ROOT);
        boolean reserved = RESERVED.contains(upper) || RESERVED_PREFIXES.stream().anyMatch(upper::startsWith);
        if (reserved) {
            throw new SecretException("environment variable " + name + " is reserved: programs or the sandbox itself depend on it",
                    "use the variable the tool reads its credential from, e.g. MY_SERVICE_TOKEN");
        }
        return name;
    }
}
