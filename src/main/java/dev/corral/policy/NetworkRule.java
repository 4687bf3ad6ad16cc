package dev.corral.policy;

import java.util.Objects;

/**
 * One allow or deny rule and where it came from ({@code preset balanced}, {@code run --allow},
 * {@code policy allow}, the user's configuration…), so {@code corral policy ls} can explain it.
 */
public record NetworkRule(Action action, HostPattern pattern, String source) {
    public enum Action {
        ALLOW, DENY;

        public String word() {
            return this == ALLOW ? "allow" : "deny";
        }

        public static Action parse(String word) {
            return switch (word) {
                case "allow" -> ALLOW;
                case "deny" -> DENY;
                default -> throw new IllegalArgumentException("not allow or deny: " + word);
            };
        }
    }

    public NetworkRule {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(source, "source");
    }

    /** How the log and messages name it: {@code allow *.github.com (preset balanced)}. */
    public String describe() {
        return action.word() + " " + pattern + " (" + source + ")";
    }
}
