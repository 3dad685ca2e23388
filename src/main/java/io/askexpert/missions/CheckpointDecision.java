package io.askexpert.missions;

import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A human's answer to a checkpoint, or the default applied at its timeout ({@code expired}).
 *
 * @param comment for {@code modify}, what the human wants changed; fed into the next step
 * @param option  one of the checkpoint's options when the human picked one
 */
public record CheckpointDecision(Kind kind, @Nullable String comment, @Nullable String option, String decidedBy,
                                 boolean expired) {

    /** approve, reject or modify (api.md §6.1). */
    public enum Kind { APPROVE, REJECT, MODIFY;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind fromWire(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }

    public CheckpointDecision {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(decidedBy, "decidedBy");
    }

    public boolean approved() {
        return kind != Kind.REJECT;
    }
}
