package io.askexpert.cost;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Which of a tenant's costs to sum; every part is optional and they combine with AND. */
public record CostFilter(@Nullable String sessionId, @Nullable String messageId, @Nullable String runId,
                         @Nullable Instant from, @Nullable Instant to) {

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
