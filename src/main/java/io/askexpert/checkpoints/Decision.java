package io.askexpert.checkpoints;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A human's decision on a checkpoint (api.md §6.1): {@code approve|reject|modify}. */
public record Decision(String decision, @Nullable String comment, @Nullable String option, String decidedBy) {

    public Decision {
        CheckpointStatus.decided(decision);
        Objects.requireNonNull(decidedBy, "decidedBy");
    }

    /** Same decision, comment and option: a retry of the request that decided it, answered the same way. */
    boolean sameAs(Checkpoint c) {
        return decision.equals(c.decision()) && Objects.equals(comment, c.comment()) && Objects.equals(option, c.option())
                && c.status() != CheckpointStatus.EXPIRED;
    }
}
