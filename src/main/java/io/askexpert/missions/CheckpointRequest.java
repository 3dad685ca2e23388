package io.askexpert.missions;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** What the executor asks a human: becomes a persisted checkpoint and a {@code checkpoint} event. */
public record CheckpointRequest(CheckpointType type, Urgency urgency, String title, String question,
                                Map<String, @Nullable Object> context, List<String> options, Duration timeout) {

    /** How soon a human should look. */
    public enum Urgency { LOW, NORMAL, HIGH, CRITICAL }

    public CheckpointRequest {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(urgency, "urgency");
        context = Map.copyOf(context);
        options = List.copyOf(options);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a checkpoint's timeout must be positive");
        }
    }
}
