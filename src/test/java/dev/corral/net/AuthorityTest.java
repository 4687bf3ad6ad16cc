package dev.corral.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code host:port} as clients write it. */
class AuthorityTest {

    @ParameterizedTest
    @CsvSource({
            "example.com:443, example.com, 443",
            "Example.COM., example.com, 80",
            "example.com.:8080, example.com, 8080",
            "example.com, example.com, 80",
            "[2001:DB8::1]:8443, 2001:db8::1, 8443",
            "[::1], ::1, 80",
            "127.0.0.1:1, 127.0.0.1, 1",
            "2130706433:65535, 2130706433, 65535",
            "under_score.example:80, under_score.example, 80"})
    void anAuthorityIsNormalised(String text, String host, int port) {
        assertEquals(Optional.of(new Authority(host, port)), Authority.parse(text, 80));
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com:0", "example.com:65536", "example.com:-1", "example.com:+80", "example.com:", "example.com:8o",
            "example.com:123456", "example.com:080808", "example.com: 80", "host:80:80", "2001:db8::1", "[::1]x", "[::1", "[::1]:",
            "[::1]:0", ":80", "", ".", "exa mple.com:80", "a@b.com:80", "a/b:80", "caf\u00e9.example:80", "[]:80"})
    void aMalformedAuthorityIsRefused(String text) {
        assertEquals(Optional.empty(), Authority.parse(text, 80), text);
    }

    @Test
    void withoutADefaultAPortIsRequired() {
        assertEquals(Optional.empty(), Authority.parse("example.com", -1));
        assertEquals(Optional.of(new Authority("example.com", 443)), Authority.parse("example.com:443", -1));
    }

    @Test
    void aHostNameMayHaveTwoHundredFiftyThreeCharactersButNotMore() {
        String longest = ("a".repeat(62) + ".").repeat(4) + "a";

        assertEquals(253, longest.length());
        assertEquals(Optional.of(new Authority(longest, 80)), Authority.of(longest, 80));
        assertEquals(Optional.empty(), Authority.of(longest + "a", 80));
    }

    @Test
    void anIpv6HostIsShownInBrackets() {
        assertEquals("[2001:db8::1]:443", new Authority("2001:db8::1", 443).toString());
        assertEquals("example.com:80", new Authority("example.com", 80).toString());
    }

    @Test
    void thePortMustBeInRange() {
        assertThrows(IllegalArgumentException.class, () -> new Authority("example.com", 0));
        assertThrows(IllegalArgumentException.class, () -> new Authority("example.com", 65536));
    }

    @Test
    void randomAuthoritiesReadBackFromTheirText() {
        Random random = new Random(1928);
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-_.";
        for (int i = 0; i < 1000; i++) {
            StringBuilder host = new StringBuilder();
            for (int n = 1 + random.nextInt(30); n > 0; n--) host.append(alphabet.charAt(random.nextInt(alphabet.length())));
            if (host.charAt(host.length() - 1) == '.') host.append('x');
            Authority a = new Authority(host.toString(), 1 + random.nextInt(65535));

            assertEquals(Optional.of(a), Authority.parse(a.toString(), -1), a.toString());
        }
    }
}
