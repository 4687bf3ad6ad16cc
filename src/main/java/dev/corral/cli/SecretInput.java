package dev.corral.cli;

import dev.corral.host.StandardStreams;
import dev.corral.secrets.SecretException;
import dev.corral.secrets.SecretStore;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Where {@code corral secret set} gets the value: piped in on stdin, or typed at a prompt without echo. */
@FunctionalInterface
interface SecretInput {
    /** The value, with one trailing newline removed; {@code prompt} is shown when it is typed. */
    String read(String prompt);

    /** Stdin when it is not a terminal, otherwise the terminal with echo off. */
    static SecretInput standard() {
        return prompt -> StandardStreams.isTerminal(0) ? fromTerminal(prompt) : fromStream(System.in);
    }

    private static String fromTerminal(String prompt) {
        Console console = System.console();
        if (console == null) {
            throw new SecretException("cannot prompt for the secret's value: the terminal is not both stdin and stdout",
                    "pipe the value in instead, e.g. corral secret set NAME < token.txt");
        }
        char[] typed = console.readPassword("%s", prompt);
        if (typed == null) return "";
        try {
            return new String(typed);
        } finally {
            Arrays.fill(typed, '\0');
        }
    }

    /** Reads the stream to its end: at most a little more than the largest value, UTF-8 only. */
    static String fromStream(InputStream in) {
        byte[] bytes;
        try {
            bytes = in.readNBytes(SecretStore.MAX_VALUE_BYTES + 3);
        } catch (IOException e) {
            throw new SecretException("cannot read the secret's value from stdin: " + e.getMessage(), "pipe the value in, e.g. corral secret set NAME < token.txt", e);
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            if (text.endsWith("\r\n")) return text.substring(0, text.length() - 2);
            if (text.endsWith("\n")) return text.substring(0, text.length() - 1);
            return text;
        } catch (CharacterCodingException e) {
            throw new SecretException("the secret's value on stdin is not UTF-8 text", "give the value as text");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
