package io.askexpert.missions;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One mission as stored. {@code version} increases with every state change; a change is written
 * only where the version is still the one read (compare-and-set).
 *
 * @param agentId the expert that leads it (mode 3: the user's pick; mode 4: the team's lead)
 * @param runId   the run its streams attach to, once started
 */
public record Mission(UUID id, String tenantId, String userId, MissionMode mode, MissionStatus status, String goal,
                      @Nullable String title, String agentId, MissionOptions options,
                      Map<String, @Nullable Object> context, @Nullable String runId, long version,
                      Instant createdAt, Instant updatedAt) {

    public Mission {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        context = Map.copyOf(context);
    }
}
