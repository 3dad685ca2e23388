package io.askexpert.webhooks;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One mission notification, as the mission that raises it describes it.
 *
 * @param status the mission's status on the wire ({@code waiting_for_human}, {@code completed}…)
 */
public record MissionNotification(NotificationType type, UUID missionId, String title, String message, String status,
                                  Instant occurredAt) {

    public MissionNotification {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(missionId, "missionId");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
