package io.askexpert.checkpoints;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One persisted checkpoint. {@code key} is the executor's deterministic key within its mission,
 * so asking the same question again after a replay finds this row instead of making another.
 *
 * @param type            a wire name of api.md §6.1 ({@code plan_approval}, {@code budget}, …)
 * @param defaultDecision what a timeout applies: {@code approve} or {@code reject}
 * @param decision        {@code approve|reject|modify} once decided (or the default once expired)
 */
public record Checkpoint(UUID id, UUID missionId, String key, String type, String urgency, String title,
                         String question, Map<String, @Nullable Object> context, List<String> options,
                         CheckpointStatus status, String defaultDecision, @Nullable String decision,
                         @Nullable String comment, @Nullable String option, @Nullable String decidedBy,
                         @Nullable Instant decidedAt, Instant timeoutAt, Instant createdAt) {

    public Checkpoint {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        options = List.copyOf(options);
    }

    public boolean pending() {
        return status == CheckpointStatus.PENDING;
    }
}
