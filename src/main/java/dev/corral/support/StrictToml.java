package dev.corral.support;

import java.util.ArrayList;
import java.util.List;

/**
 * The small part of TOML Corral's own files use, read strictly: {@code [table]} headers,
 * {@code key = "string"}, {@code key = ["strings", ...]} on one line, {@code key = 42}, and
 * {@code #} comments. Which tables and keys mean something is the caller's to check; this class
 * only splits the text and types the values, and every error carries its line.
 */
public final class StrictToml {
    private StrictToml() {
    }

    /** One {@code key = value} line; the value is typed on demand, so the error names what was expected. */
    public record Entry(String table, String key, String rawValue, int line) {
        public List<String> strings() {
            return stringArray(line, key, rawValue);
        }

        public String string() {
            if (!rawValue.startsWith("\"")) throw new SyntaxError(line, key + " must be a double-quoted string");
            int[] end = {0};
            String value = quoted(line, rawValue, 0, end);
            if (end[0] != rawValue.length()) throw new SyntaxError(line, "unexpected text after the string of " + key);
            return value;
        }

        public long integer() {
            try {
                return Long.parseLong(rawValue);
            } catch (NumberFormatException e) {
                throw new SyntaxError(line, key + " must be a whole number");
            }
        }
    }

    /** A line Corral can't read; {@link #line()} is 1-based. */
    public static final class SyntaxError extends RuntimeException {
        private final int line;

        public SyntaxError(int line, String message) {
            super(message);
            this.line = line;
        }

        public int line() {
            return line;
        }
    }

    /** A {@code [table]} header line, reported so callers can refuse unknown tables at their own line. */
    public record Table(String name, int line) {
    }

    public record Document(List<Table> tables, List<Entry> entries) {
        public Document {
            tables = List.copyOf(tables);
            entries = List.copyOf(entries);
        }
    }

    public static Document parse(String text) {
        List<Table> tables = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        String table = "";
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = stripComment(lines[i]).strip();
            if (line.isEmpty()) continue;
            if (line.startsWith("[")) {
                if (!line.endsWith("]")) throw new SyntaxError(number, "a table header needs its closing ']'");
                table = line.substring(1, line.length() - 1).strip();
                tables.add(new Table(table, number));
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) throw new SyntaxError(number, "expected key = value");
            String key = line.substring(0, eq).strip();
            if (key.length() > 1 && key.startsWith("\"") && key.endsWith("\"")) key = key.substring(1, key.length() - 1);
            entries.add(new Entry(table, key, line.substring(eq + 1).strip(), number));
        }
        return new Document(tables, entries);
    }

    /** {@code ["a", "b"]}: double-quoted strings with backslash escapes, on one line. */
    static List<String> stringArray(int line, String key, String value) {
        if (!value.startsWith("[") || !value.endsWith("]")) {
            throw new SyntaxError(line, key + " must be a list of strings, e.g. [\"a\", \"b\"]");
        }
        List<String> out = new ArrayList<>();
        String body = value.substring(1, value.length() - 1).strip();
        int[] at = {0};
        while (at[0] < body.length()) {
            if (body.charAt(at[0]) != '"') throw new SyntaxError(line, key + " must be a list of double-quoted strings");
            out.add(quoted(line, body, at[0], at));
            int i = at[0];
            while (i < body.length() && body.charAt(i) == ' ') i++;
            if (i < body.length()) {
                if (body.charAt(i) != ',') throw new SyntaxError(line, "expected ',' between strings");
                i++;
                while (i < body.length() && body.charAt(i) == ' ') i++;
            }
            at[0] = i;
        }
        return out;
    }

    /** The string that starts with the quote at {@code start}; {@code end[0]} is set past its closing quote. */
    private static String quoted(int line, String text, int start, int[] end) {
        StringBuilder sb = new StringBuilder();
        int i = start + 1;
        while (true) {
            if (i >= text.length()) throw new SyntaxError(line, "unterminated string");
            char c = text.charAt(i++);
            if (c == '"') break;
            if (c == '\\') {
                if (i >= text.length()) throw new SyntaxError(line, "unterminated string");
                char e = text.charAt(i++);
                sb.append(switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case '"', '\\' -> e;
                    default -> throw new SyntaxError(line, "unknown escape \\" + e);
                });
            } else {
                sb.append(c);
            }
        }
        end[0] = i;
        return sb.toString();
    }

    private static String stripComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '\\') {
                i++; // the escaped character, a quote or a backslash included
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '#' && !quoted) {
                return line.substring(0, i);
            }
        }
        return line;
    }
}
