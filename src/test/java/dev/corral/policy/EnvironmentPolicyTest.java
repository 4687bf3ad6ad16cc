package dev.corral.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.corral.host.Identity;
import dev.corral.sandbox.SandboxName;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentPolicyTest {
    private static final Identity ALICE = new Identity(1000, 1000, "alice", Path.of("/home/alice"));
    private static final SandboxName NAME = new SandboxName("shell-project");

    private static Map<String, String> host() {
        Map<String, String> host = new HashMap<>();
        host.put("TERM", "xterm-256color");
        host.put("LANG", "en_GB.UTF-8");
        host.put("LC_ALL", "C.UTF-8");
        host.put("LC_TIME", "de_DE.UTF-8");
        host.put("TZ", "Europe/Paris");
        host.put("COLORTERM", "truecolor");
        host.put("HOME", "/root");
        host.put("USER", "root");
        host.put("PATH", "/opt/evil/bin:/usr/bin");
        host.put("SSH_AUTH_SOCK", "/run/user/1000/ssh-agent");
        host.put("AWS_SECRET_ACCESS_KEY", "secret");
        host.put("GITHUB_TOKEN", "ghp_secret");
        host.put("LD_PRELOAD", "/tmp/evil.so");
        host.put("DISPLAY", ":0");
        host.put("XDG_RUNTIME_DIR", "/run/user/1000");
        host.put("DBUS_SESSION_BUS_ADDRESS", "unix:path=/run/user/1000/bus");
        host.put("TERMINFO", "/home/alice/.terminfo");
        host.put("LANGUAGE", "en");
        host.put("CORRAL_SANDBOX", "spoofed");
        return host;
    }

    @Test
    void onlyTerminalAndLocaleVariablesAreInherited() {
        Map<String, String> env = EnvironmentPolicy.sandboxEnvironment(host(), Map.of(), ALICE, NAME);

        assertEquals("xterm-256color", env.get("TERM"));
        assertEquals("en_GB.UTF-8", env.get("LANG"));
        assertEquals("C.UTF-8", env.get("LC_ALL"));
        assertEquals("de_DE.UTF-8", env.get("LC_TIME"));
        assertEquals("Europe/Paris", env.get("TZ"));
        assertEquals("truecolor", env.get("COLORTERM"));
        for (String leaked : List.of("SSH_AUTH_SOCK", "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "LD_PRELOAD", "DISPLAY",
                "XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS", "TERMINFO", "LANGUAGE")) {
            assertFalse(env.containsKey(leaked), leaked);
        }
    }

    @Test
    void theBasicsDescribeTheSandboxNotTheCaller() {
        Map<String, String> env = EnvironmentPolicy.sandboxEnvironment(host(), Map.of(), ALICE, NAME);

        assertEquals("/home/alice", env.get("HOME"));
        assertEquals("alice", env.get("USER"));
        assertEquals("alice", env.get("LOGNAME"));
        assertEquals("/bin/bash", env.get("SHELL"));
        assertEquals("/home/alice/.local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", env.get("PATH"));
        assertEquals("shell-project", env.get("CORRAL_SANDBOX"));
    }

    @Test
    void theEnvironmentIsExactlyTheBasicsTheInheritedAndTheRequested() {
        Map<String, String> env = EnvironmentPolicy.sandboxEnvironment(host(), Map.of("EXTRA", "1"), ALICE, NAME);

        assertEquals(java.util.Set.of("TERM", "LANG", "LC_ALL", "LC_TIME", "TZ", "COLORTERM", "HOME", "USER", "LOGNAME",
                "SHELL", "PATH", "CORRAL_SANDBOX", "EXTRA"), env.keySet());
    }

    @Test
    void anEmptyHostEnvironmentStillGivesTheBasics() {
        Map<String, String> env = EnvironmentPolicy.sandboxEnvironment(Map.of(), Map.of(), ALICE, NAME);

        assertEquals(java.util.Set.of("HOME", "USER", "LOGNAME", "SHELL", "PATH", "CORRAL_SANDBOX"), env.keySet());
    }

    @Test
    void requestedVariablesOverrideInheritedAndBasicOnes() {
        Map<String, String> env = EnvironmentPolicy.sandboxEnvironment(host(),
                Map.of("TERM", "dumb", "PATH", "/custom/bin", "HOME", "/home/alice/other"), ALICE, NAME);

        assertEquals("dumb", env.get("TERM"));
        assertEquals("/custom/bin", env.get("PATH"));
        assertEquals("/home/alice/other", env.get("HOME"));
    }

    @Test
    void assignmentsAreParsedInOrderAndTheLastOneWins() {
        Map<String, String> env = EnvironmentPolicy.parseAssignments(List.of("A=1", "B=x=y", "A=2", "TOKEN"),
                Map.of("TOKEN", "t"));

        assertEquals(Map.of("A", "2", "B", "x=y", "TOKEN", "t"), env);
        assertEquals(List.of("A", "B", "TOKEN"), List.copyOf(env.keySet()));
    }

    @Test
    void anAssignmentWithABadNameIsRefused() {
        assertThrows(PolicyException.class, () -> EnvironmentPolicy.parseAssignments(List.of("1BAD=x"), Map.of()));
        assertThrows(PolicyException.class, () -> EnvironmentPolicy.parseAssignments(List.of("BAD-NAME"), Map.of("BAD-NAME", "x")));
    }
}
