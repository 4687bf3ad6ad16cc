package dev.corral.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Splitting Corral's small TOML into tables and typed entries, every error with its line. */
class StrictTomlTest {

    private static StrictToml.Document parse(String... lines) {
        return StrictToml.parse(String.join("\n", lines));
    }

    private static StrictToml.Entry only(String... lines) {
        List<StrictToml.Entry> entries = parse(lines).entries();
        assertEquals(1, entries.size(), entries::toString);
        return entries.getFirst();
    }

    /** Asserts that reading fails on {@code line} with a message containing {@code words}. */
    private static void refusedAt(int line, String words, org.junit.jupiter.api.function.Executable read) {
        StrictToml.SyntaxError e = assertThrows(StrictToml.SyntaxError.class, read);
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains(words), e.getMessage());
    }

    @Test
    void tablesAndEntriesKeepTheirLinesAndTheTableTheyAreIn() {
        StrictToml.Document doc = parse(
                "format = 1",
                "",
                "[install]",
                "from = \"npm\"",
                "# a comment",
                "[ run ]",
                "command = \"claude\"");

        assertEquals(List.of(new StrictToml.Table("install", 3), new StrictToml.Table("run", 6)), doc.tables());
        assertEquals(List.of(new StrictToml.Entry("", "format", "1", 1), new StrictToml.Entry("install", "from", "\"npm\"", 4),
                new StrictToml.Entry("run", "command", "\"claude\"", 7)), doc.entries());
    }

    @Test
    void anEmptyTextHasNoTablesAndNoEntries() {
        StrictToml.Document doc = parse("", "   ", "# only a comment", "\t");

        assertEquals(List.of(), doc.tables());
        assertEquals(List.of(), doc.entries());
    }

    @Test
    void spacesAroundKeysAndValuesAreIgnoredAndAQuotedKeyLosesItsQuotes() {
        StrictToml.Entry entry = only("   \"IS_SANDBOX\"   =    \"1\"   ");

        assertEquals("IS_SANDBOX", entry.key());
        assertEquals("1", entry.string());
    }

    @Test
    void aValueMayHoldEqualsSigns() {
        assertEquals("a=b=c", only("key = \"a=b=c\"").string());
    }

    @Test
    void theDocumentsListsCannotBeChanged() {
        StrictToml.Document doc = parse("[a]", "k = 1");

        assertThrows(UnsupportedOperationException.class, () -> doc.tables().clear());
        assertThrows(UnsupportedOperationException.class, () -> doc.entries().clear());
    }

    // --- strings

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "k = \"plain\"                | plain",
            "k = \"\"                     | ''",
            "k = \"say \\\"hi\\\"\"       | say \"hi\"",
            "k = \"back\\\\slash\"        | back\\slash",
            "k = \"tab\\there\"           | 'tab\there'",
            "k = \"{\\\"edit\\\":1}\"     | {\"edit\":1}",
    })
    void stringsAreUnquotedWithTheirEscapes(String line, String expected) {
        assertEquals(expected, only(line).string());
    }

    @Test
    void aNewlineEscapeBecomesANewline() {
        assertEquals("one\ntwo", only("k = \"one\\ntwo\"").string());
    }

    @Test
    void aHashInsideAStringIsNotAComment() {
        assertEquals("a # b", only("k = \"a # b\"  # the comment").string());
        assertEquals("x\"#", only("k = \"x\\\"#\" # an escaped quote does not end the string").string());
        assertEquals("x\\", only("k = \"x\\\\\" # an escaped backslash does not escape the quote").string());
    }

    @Test
    void aCommentAfterAHeaderOrAnEntryIsDropped() {
        StrictToml.Document doc = parse("[network] # hosts", "hosts = [\"a.example.com\"] # one # two");

        assertEquals(List.of(new StrictToml.Table("network", 1)), doc.tables());
        assertEquals(List.of("a.example.com"), doc.entries().getFirst().strings());
    }

    @ParameterizedTest
    @ValueSource(strings = {"k = plain", "k = 'single'", "k = 1", "k = [\"a\"]"})
    void aStringMustBeDoubleQuoted(String line) {
        refusedAt(1, "k must be a double-quoted string", () -> only(line).string());
    }

    @Test
    void textAfterTheClosingQuoteIsRefused() {
        refusedAt(2, "unexpected text after the string of k", () -> parse("[a]", "k = \"one\" \"two\"").entries().getFirst().string());
    }

    @ParameterizedTest
    @ValueSource(strings = {"k = \"open", "k = \"ends in a backslash\\", "k = \"escaped quote\\\""})
    void anUnterminatedStringIsRefused(String line) {
        refusedAt(3, "unterminated string", () -> parse("", "", line).entries().getFirst().string());
    }

    @ParameterizedTest
    @ValueSource(strings = {"u0041", "x41", "0", "r", "'", "e"})
    void anUnknownEscapeIsRefusedAndNamed(String escape) {
        refusedAt(1, "unknown escape \\" + escape.charAt(0), () -> only("k = \"a\\" + escape + "\"").string());
    }

    // --- arrays

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "k = []|0",
            "k = [ ]|0",
            "k = [\"a\"]|1",
            "k = [\"a\", \"b\"]|2",
            "k = [\"a\",\"b\",\"c\"]|3",
            "k = [ \"a\" ,  \"b\" ]|2",
            "k = [\"a\", \"b\",]|2",
    })
    void arraysOfStringsAreReadWithOrWithoutSpacesAndATrailingComma(String line, int size) {
        List<String> values = only(line).strings();

        assertEquals(size, values.size(), values::toString);
        assertEquals(List.of("a", "b", "c").subList(0, size), values);
    }

    @Test
    void arrayStringsKeepCommasBracketsAndEscapes() {
        assertEquals(List.of("a, b", "[c]", "say \"hi\"", "#not a comment"),
                only("k = [\"a, b\", \"[c]\", \"say \\\"hi\\\"\", \"#not a comment\"]").strings());
    }

    @ParameterizedTest
    @ValueSource(strings = {"k = \"a\"", "k = [\"a\"", "k = \"a\"]", "k = 1"})
    void anArrayNeedsItsBrackets(String line) {
        refusedAt(1, "k must be a list of strings", () -> only(line).strings());
    }

    @ParameterizedTest
    @ValueSource(strings = {"k = [a]", "k = [1, 2]", "k = [\"a\", b]", "k = [\"a\",, \"b\"]", "k = [,]"})
    void anArrayOfOtherThanDoubleQuotedStringsIsRefused(String line) {
        refusedAt(1, "k must be a list of double-quoted strings", () -> only(line).strings());
    }

    @Test
    void stringsInAnArrayNeedCommasBetweenThem() {
        refusedAt(1, "expected ',' between strings", () -> only("k = [\"a\" \"b\"]").strings());
    }

    @Test
    void anUnterminatedStringInAnArrayIsRefused() {
        refusedAt(1, "unterminated string", () -> only("k = [\"a]").strings());
    }

    // --- integers

    @ParameterizedTest
    @CsvSource({"k = 1, 1", "k = 0, 0", "k = -7, -7", "k = 9223372036854775807, 9223372036854775807"})
    void wholeNumbersAreRead(String line, long expected) {
        assertEquals(expected, only(line).integer());
    }

    @ParameterizedTest
    @ValueSource(strings = {"k = \"1\"", "k = 1.0", "k = 1_000", "k = one", "k = 9223372036854775808", "k = 0x10"})
    void anythingButAWholeNumberIsRefusedAsOne(String line) {
        refusedAt(1, "k must be a whole number", () -> only(line).integer());
    }

    // --- lines that are not TOML Corral reads

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "just words|expected key = value",
            "= \"no key\"|expected key = value",
            "[install|a table header needs its closing ']'",
            "[install] extra|a table header needs its closing ']'",
    })
    void aLineThatIsNeitherAHeaderNorAnEntryIsRefusedWithItsLine(String line, String words) {
        refusedAt(4, words, () -> parse("format = 1", "# comment", "", line, "[run]"));
    }

    @Test
    void theFirstErrorIsReportedEvenWhenLaterLinesAreAlsoBroken() {
        refusedAt(2, "expected key = value", () -> parse("a = 1", "broken", "[also broken"));
    }

    @Test
    void typingErrorsAreReportedOnlyWhenTheValueIsAskedFor() {
        StrictToml.Entry entry = only("k = not-typed-yet");

        assertEquals("not-typed-yet", entry.rawValue());
    }
}
