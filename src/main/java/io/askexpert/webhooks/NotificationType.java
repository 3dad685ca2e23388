package io.askexpert.webhooks;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What happened to a mission; the wire name is the webhook's {@code type} and an {@code events[]} value. */
public enum NotificationType {
    CHECKPOINT_RAISED, MISSION_COMPLETED, MISSION_FAILED, MISSION_CANCELLED;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Optional<NotificationType> fromWire(String value) {
        return Arrays.stream(values()).filter(t -> t.wireName().equals(value)).findFirst();
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(NotificationType::wireName).toList();
    }
}
