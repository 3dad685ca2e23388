package io.askexpert.runs;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A run as persisted: who owns it and how it ended.
 *
 * @param status {@code running}, {@code done}, {@code error} or {@code cancelled}
 */
public record RunInfo(String runId, String tenantId, @Nullable String sessionId, @Nullable String missionId,
                      int mode, String status, long lastEventId, Instant createdAt, @Nullable Instant finishedAt) {

    public boolean running() {
        return status.equals("running");
    }
}
