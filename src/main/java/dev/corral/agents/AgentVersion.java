package dev.corral.agents;

import java.util.Comparator;

/** Version strings of agents' packages: checked to be plain, and ordered as numbers where they are. */
public final class AgentVersion {
    /** Newest first: 2.10.0 before 2.9.1, a release before its pre-release. */
    public static final Comparator<String> NEWEST_FIRST = new Comparator<>() {
        @Override
        public int compare(String a, String b) {
            return -ascending(a, b);
        }
    };

    private AgentVersion() {
    }

    public static boolean isPlain(String version) {
        return dev.corral.policy.AgentSettings.isPlainVersion(version);
    }

    public static String require(String version) {
        if (!isPlain(version)) {
            throw new AgentException("'" + version + "' is not a version", "give one such as --agent-version 2.1.0");
        }
        return version;
    }

    static int ascending(String a, String b) {
        String[] x = parts(a);
        String[] y = parts(b);
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = part(x[i], y[i]);
            if (c != 0) return c;
        }
        // 1.0.0 after 1.0.0-beta.1 (a pre-release has more parts and a letter), 1.0.1 after 1.0
        if (x.length != y.length) {
            String[] longer = x.length > y.length ? x : y;
            boolean preRelease = !Character.isDigit(longer[Math.min(x.length, y.length)].charAt(0));
            int sign = x.length > y.length ? 1 : -1;
            return preRelease ? -sign : sign;
        }
        return a.compareTo(b);
    }

    private static String[] parts(String version) {
        return java.util.Arrays.stream(version.split("[.+_-]+")).filter(p -> !p.isEmpty()).toArray(String[]::new);
    }

    private static int part(String a, String b) {
        boolean na = !a.isEmpty() && a.chars().allMatch(Character::isDigit);
        boolean nb = !b.isEmpty() && b.chars().allMatch(Character::isDigit);
        if (na && nb) {
            int c = Integer.compare(a.length() - leadingZeros(a), b.length() - leadingZeros(b));
            return c != 0 ? c : a.substring(leadingZeros(a)).compareTo(b.substring(leadingZeros(b)));
        }
        if (na != nb) return na ? 1 : -1;
        return a.compareTo(b);
    }

    private static int leadingZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') i++;
        return i;
    }
}
