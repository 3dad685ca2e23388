package io.askexpert.runs;

import io.askexpert.config.Mode;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A run as persisted: who owns it and how it ended.
 *
 * @param userId        its user; null only for runs recorded before runs had owners
 * @param status        {@code running}, {@code done}, {@code error} or {@code cancelled}
 * @param lastEventId   the terminal event's id once the run ended; while it runs, the last id recorded
 * @param terminalData  the terminal event's JSON, kept so it can be served after the event log forgot the run
 */
public record RunInfo(String runId, String tenantId, @Nullable String userId, @Nullable String sessionId,
                      @Nullable String missionId, Mode mode, String status, long lastEventId, Instant createdAt,
                      @Nullable Instant finishedAt, @Nullable String terminalData) {

    public boolean running() {
        return status.equals("running");
    }

    /** The terminal event as the log held it, when the run ended and its event was recorded. */
    public Optional<Sequenced> terminalEvent() {
        if (running() || terminalData == null || lastEventId < 1) {
            return Optional.empty();
        }
        String name = status.equals("error") ? "error" : status;
        return Optional.of(new Sequenced(lastEventId, name, terminalData));
    }
}
