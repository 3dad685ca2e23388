package io.askexpert.sessions;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One turn of a session. Assistant turns carry the passages they cited (in the shape of the
 * {@code citation} event), the model, the provider's usage and its cost.
 */
public record Message(String messageId, String sessionId, String role, String content,
                      List<Map<String, Object>> citations, @Nullable String runId, @Nullable String model,
                      TokenCounts tokens, BigDecimal costUsd, Instant createdAt) {

    public Message {
        citations = List.copyOf(citations);
    }

    /** Usage as the provider reported it. */
    public record TokenCounts(long input, long output, long cacheRead, long cacheWrite) {
        public static final TokenCounts NONE = new TokenCounts(0, 0, 0, 0);
    }
}
