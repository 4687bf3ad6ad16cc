package dev.corral.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretHostTest {

    @Test
    void namesAreNormalisedToLowerCaseWithoutTrailingDot() {
        assertEquals("api.example.com", SecretHost.parse(" API.Example.COM. ").pattern());
        assertEquals("*.example.com", SecretHost.parse("*.example.com").pattern());
        assertEquals("localhost", SecretHost.parse("localhost").pattern());
        assertEquals("10.0.0.7", SecretHost.parse("10.0.0.7").pattern());
    }

    @Test
    void anExactNameMatchesOnlyItself() {
        SecretHost exact = SecretHost.parse("api.example.com");

        assertTrue(exact.matches("api.example.com"));
        assertTrue(exact.matches("API.example.com."));
        assertFalse(exact.matches("x.api.example.com"));
        assertFalse(exact.matches("api.example.com.evil.test"));
        assertFalse(exact.matches("example.com"));
    }

    @Test
    void aWildcardMatchesNamesUnderTheDomainButNotTheDomainItself() {
        SecretHost wildcard = SecretHost.parse("*.example.com");

        assertTrue(wildcard.matches("a.example.com"));
        assertTrue(wildcard.matches("a.b.example.com"));
        assertFalse(wildcard.matches("example.com"));
        assertFalse(wildcard.matches("badexample.com"));
        assertFalse(wildcard.matches("a.example.com.evil.test"));
    }

    @Test
    void overBroadPatternsAreRefused() {
        for (String broad : List.of("*", "*.com", "*.io", "*.co.uk", "*.com.au", "*.herokuapp.com", "*.amazonaws.com", "*.github.io")) {
            SecretException e = assertThrows(SecretException.class, () -> SecretHost.parse(broad), broad);
            assertTrue(e.getMessage().contains("too broad"), e.getMessage());
        }
    }

    @Test
    void malformedHostsAreRefusedWithTheReason() {
        assertReason("https://api.example.com", "without scheme");
        assertReason("api.example.com:443", "without a port");
        assertReason("api.*.example.com", "first label");
        assertReason("*example.com", "first label");
        assertReason("a*.example.com", "first label");
        assertReason("bad_host.example.com", "letters, digits");
        assertReason("-bad.example.com", "start or end");
        assertReason("a..example.com", "1 to 63");
        assertReason("", "empty");
        assertReason("*.10.0.0", "IP addresses");
    }

    private static void assertReason(String host, String reason) {
        SecretException e = assertThrows(SecretException.class, () -> SecretHost.parse(host), host);
        assertTrue(e.getMessage().contains(reason), host + ": " + e.getMessage());
        assertTrue(e.fix().isPresent());
    }
}
