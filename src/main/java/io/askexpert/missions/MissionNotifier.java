package io.askexpert.missions;

import io.askexpert.webhooks.MissionNotification;
import io.askexpert.webhooks.NotificationType;
import io.askexpert.webhooks.Webhooks;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the tenant's webhook what happened to a mission: a checkpoint raised, the mission completed,
 * failed or cancelled. Each notification has a key ({@code mission/<id>/<status>},
 * {@code mission/<id>/checkpoint/<checkpoint id>}) under which the webhooks write at most one
 * delivery, so a replay or a second instance does not notify twice. A notification that cannot be
 * written never stops the mission. Mode 4 sends its end only with {@code notify_on_completion}.
 */
final class MissionNotifier {

    private static final Logger log = LoggerFactory.getLogger(MissionNotifier.class);

    private final @Nullable Webhooks webhooks;

    MissionNotifier(@Nullable Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    void checkpointRaised(Mission m, String checkpointId, String title, String question) {
        send(m, new MissionNotification(NotificationType.CHECKPOINT_RAISED, m.id(), title, question,
                MissionStatus.WAITING_FOR_HUMAN.wireName(), Instant.now()), "mission/" + m.id() + "/checkpoint/" + checkpointId);
    }

    void ended(Mission m, MissionStatus status, String message) {
        if (m.mode() == MissionMode.MODE4 && !m.options().notifyOnCompletion()) {
            return;
        }
        NotificationType type = switch (status) {
            case COMPLETED -> NotificationType.MISSION_COMPLETED;
            case FAILED -> NotificationType.MISSION_FAILED;
            case CANCELLED -> NotificationType.MISSION_CANCELLED;
            case CREATED, QUEUED, RUNNING, WAITING_FOR_HUMAN, PAUSED -> null;
        };
        if (type != null) {
            send(m, new MissionNotification(type, m.id(), m.title() == null ? shorten(m.goal()) : m.title(), message,
                    status.wireName(), Instant.now()), "mission/" + m.id() + "/" + status.wireName());
        }
    }

    private void send(Mission m, MissionNotification n, String key) {
        if (webhooks == null) {
            return;
        }
        try {
            webhooks.notify(m.tenantId(), n, key);
        } catch (RuntimeException e) {
            log.warn("Mission {}: the {} notification could not be written: {}", m.id(), n.type().wireName(),
                    e.getClass().getSimpleName());
        }
    }

    private static String shorten(String goal) {
        return goal.length() <= 80 ? goal : goal.substring(0, 79) + "…";
    }
}
