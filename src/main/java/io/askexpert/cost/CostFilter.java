package io.askexpert.cost;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Which of a tenant's costs to sum; every part is optional and they combine with AND.
 *
 * @param userId only this user's calls (a non-admin caller always reads their own)
 */
public record CostFilter(@Nullable String sessionId, @Nullable String messageId, @Nullable String runId,
                         @Nullable Instant from, @Nullable Instant to, @Nullable String userId) {

    public CostFilter(@Nullable String sessionId, @Nullable String messageId, @Nullable String runId,
                      @Nullable Instant from, @Nullable Instant to) {
        this(sessionId, messageId, runId, from, to, null);
    }

    public static final CostFilter ALL = new CostFilter(null, null, null, null, null);

    public static CostFilter session(String sessionId) {
        return new CostFilter(sessionId, null, null, null, null);
    }

    public static CostFilter message(String messageId) {
        return new CostFilter(null, messageId, null, null, null);
    }

    public static CostFilter run(String runId) {
        return new CostFilter(null, null, runId, null, null);
    }

    public CostFilter {
        if (from != null && to != null && to.isBefore(from)) {
            throw new IllegalArgumentException("'to' is before 'from'");
        }
    }
}
