package io.askexpert.checkpoints;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** What a mission asks: persisted once per (mission, key). */
public record NewCheckpoint(UUID missionId, String key, String type, String urgency, String title, String question,
                            Map<String, @Nullable Object> context, List<String> options, String defaultDecision,
                            Duration timeout) {

    public NewCheckpoint {
        Objects.requireNonNull(missionId, "missionId");
        Objects.requireNonNull(key, "key");
        if (!defaultDecision.equals("approve") && !defaultDecision.equals("reject")) {
            throw new IllegalArgumentException("a timeout applies approve or reject, got " + defaultDecision);
        }
        options = List.copyOf(options);
    }
}
