package dev.corral.policy;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints byte sizes the way container tools do: {@code 512m}, {@code 1.5g}, {@code 2GiB}. */
public final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(?:i?b)?", Pattern.CASE_INSENSITIVE);

    private Sizes() {
    }

    /** The size in bytes; units are binary (k = 1024). A bare number is bytes. */
    public static long parse(String option, String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw new PolicyException("invalid size for " + option + ": '" + text + "'",
                    "use a number with an optional unit, e.g. " + option + " 512m or " + option + " 2g");
        }
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1L << shift));
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 2)) > 0) {
            throw new PolicyException("size for " + option + " is too large: '" + text + "'", "use a smaller value");
        }
        return bytes.longValue();
    }

    /** A short human form: 512 MiB, 1.5 GiB. */
    public static String format(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        String number = value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
        return number + " " + units[unit];
    }
}
