package io.askexpert.runs;

import io.askexpert.config.Mode;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a new run needs to know.
 *
 * @param userId    the user the run belongs to: only they may replay or cancel it (api.md §1)
 * @param interrupt {@code options.multitask = interrupt}: cancel the session's active run instead of refusing
 * @param timeout   the mode's limit ({@code MODE1_TIMEOUT} …); the session lock outlives it only briefly
 */
public record RunStart(String tenantId, String userId, Mode mode, @Nullable String sessionId,
                       @Nullable String missionId, boolean interrupt, Duration timeout) {

    public RunStart {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(timeout, "timeout");
    }
}
