package io.askexpert.checkpoints;

import java.util.Locale;

/** A checkpoint's state (api.md §6.4); {@code expired} means its timeout applied the default decision. */
public enum CheckpointStatus {
    PENDING, APPROVED, REJECTED, MODIFIED, EXPIRED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CheckpointStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** The state a human's decision ({@code approve|reject|modify}) leads to. */
    public static CheckpointStatus decided(String decision) {
        return switch (decision) {
            case "approve" -> APPROVED;
            case "reject" -> REJECTED;
            case "modify" -> MODIFIED;
            default -> throw new IllegalArgumentException("a decision is approve, reject or modify, got " + decision);
        };
    }
}
