package dev.corral.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SOCKS5 greeting and CONNECT request. */
class Socks5Test {
    private static final HexFormat HEX = HexFormat.of();
    private static final String NO_AUTH_GREETING = "050100";
    private static final String CHOSE_NO_AUTH = "0500";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private Socks5.Request handshake(String hex) throws IOException {
        return Socks5.handshake(new ByteArrayInputStream(HEX.parseHex(hex)), out);
    }

    private String replies() {
        return HEX.formatHex(out.toByteArray());
    }

    private static String reply(int code) {
        return "05" + String.format("%02x", code) + "0001000000000000";
    }

    private static String domain(String name) {
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        return "03" + String.format("%02x", b.length) + HEX.formatHex(b);
    }

    @Test
    void aDomainTargetIsReadAndNormalised() throws IOException {
        Socks5.Request request = handshake(NO_AUTH_GREETING + "050100" + domain("API.Example.COM.") + "01bb");

        assertEquals(new Authority("api.example.com", 443), request.authority());
        assertEquals(CHOSE_NO_AUTH, replies(), "only the method choice: the proxy replies to the request once it decided");
    }

    @Test
    void anIpv4TargetIsRead() throws IOException {
        Socks5.Request request = handshake(NO_AUTH_GREETING + "050100" + "01" + "cb007107" + "0050");

        assertEquals(new Authority("203.0.113.7", 80), request.authority());
    }

    @Test
    void anIpv6TargetIsRead() throws IOException {
        Socks5.Request request = handshake(NO_AUTH_GREETING + "050100" + "04" + "20010db8000000000000000000000001" + "ffff");

        assertEquals(65535, request.authority().port());
        assertEquals(java.net.InetAddress.ofLiteral("2001:db8::1"), java.net.InetAddress.ofLiteral(request.authority().host()));
    }

    @Test
    void anIpv4MappedTargetIsTheIpv4Address() throws IOException {
        Socks5.Request request = handshake(NO_AUTH_GREETING + "050100" + "04" + "00000000000000000000ffff7f000001" + "0016");

        assertEquals(new Authority("127.0.0.1", 22), request.authority());
    }

    @Test
    void noAuthenticationAmongOtherMethodsIsChosen() throws IOException {
        Socks5.Request request = handshake("0503" + "020100" + "050100" + domain("example.com") + "0050");

        assertEquals(new Authority("example.com", 80), request.authority());
        assertEquals(CHOSE_NO_AUTH, replies());
    }

    @ParameterizedTest
    @ValueSource(strings = {"050102", "05020102", "0500"})
    void withoutAnAcceptableMethodTheAnswerIsFF(String greeting) throws IOException {
        assertNull(handshake(greeting + "050100" + domain("example.com") + "0050"));
        assertEquals("05ff", replies());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 0, 0xff})
    void aCommandOtherThanConnectIsNotSupported(int command) throws IOException {
        assertNull(handshake(NO_AUTH_GREETING + "05" + String.format("%02x", command) + "00" + "01" + "cb007107" + "0050"));
        assertEquals(CHOSE_NO_AUTH + reply(Socks5.COMMAND_NOT_SUPPORTED), replies());
    }

    @ParameterizedTest
    @ValueSource(strings = {"00", "02", "05", "ff"})
    void anUnknownAddressTypeIsNotSupported(String type) throws IOException {
        assertNull(handshake(NO_AUTH_GREETING + "050100" + type + "cb0071070050"));
        assertEquals(CHOSE_NO_AUTH + reply(Socks5.ADDRESS_NOT_SUPPORTED), replies());
    }

    @ParameterizedTest
    @ValueSource(strings = {"exa mple.com", "", "a@b", "caf\u00e9"})
    void aDomainThatIsNoHostNameIsNotSupported(String name) throws IOException {
        byte[] b = name.getBytes(StandardCharsets.ISO_8859_1);
        String target = "03" + String.format("%02x", b.length) + HEX.formatHex(b);

        assertNull(handshake(NO_AUTH_GREETING + "050100" + target + "0050"));
        assertEquals(CHOSE_NO_AUTH + reply(Socks5.ADDRESS_NOT_SUPPORTED), replies());
    }

    @Test
    void portZeroIsNotSupported() throws IOException {
        assertNull(handshake(NO_AUTH_GREETING + "050100" + domain("example.com") + "0000"));
        assertEquals(CHOSE_NO_AUTH + reply(Socks5.ADDRESS_NOT_SUPPORTED), replies());
    }

    @Test
    void aRequestOfAnotherVersionIsAGeneralFailure() throws IOException {
        assertNull(handshake(NO_AUTH_GREETING + "040100" + domain("example.com") + "0050"));
        assertEquals(CHOSE_NO_AUTH + reply(Socks5.GENERAL_FAILURE), replies());
    }

    @Test
    void aGreetingOfAnotherVersionGetsNoAnswer() throws IOException {
        assertNull(handshake("04010050cb00710700"));
        assertEquals("", replies());
    }

    @ParameterizedTest
    @ValueSource(strings = {"05", "0502", "050200", NO_AUTH_GREETING, NO_AUTH_GREETING + "05", NO_AUTH_GREETING + "050100",
            NO_AUTH_GREETING + "05010003", NO_AUTH_GREETING + "0501000305616263", NO_AUTH_GREETING + "05010004" + "20010db8",
            NO_AUTH_GREETING + "0501000301" + "61" + "00", NO_AUTH_GREETING + "05010001" + "cb00"})
    void aRequestCutShortIsAnError(String hex) {
        assertThrows(IOException.class, () -> handshake(hex));
    }

    @Test
    void anEmptyConnectionGetsNoAnswer() throws IOException {
        assertNull(handshake(""));
        assertEquals("", replies());
    }

    @Test
    void theReplyCarriesTheCodeAndAnEmptyIpv4Address() throws IOException {
        Socks5.reply(out, Socks5.NOT_ALLOWED);

        assertArrayEquals(new byte[] {5, 2, 0, 1, 0, 0, 0, 0, 0, 0}, out.toByteArray());
    }

    @Test
    void randomDomainsAndPortsAreReadBack() throws IOException {
        Random random = new Random(5);
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-.";
        for (int i = 0; i < 500; i++) {
            StringBuilder name = new StringBuilder();
            for (int n = 1 + random.nextInt(60); n > 0; n--) name.append(alphabet.charAt(random.nextInt(alphabet.length())));
            if (name.charAt(name.length() - 1) == '.') name.append('x');
            int port = 1 + random.nextInt(65535);
            out.reset();

            Socks5.Request request = handshake(NO_AUTH_GREETING + "050100" + domain(name.toString()) + String.format("%04x", port));

            assertEquals(new Authority(name.toString(), port), request.authority());
        }
    }
}
