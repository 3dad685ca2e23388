package io.askexpert.sessions;

import io.askexpert.config.Mode;
import java.math.BigDecimal;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A conversation (api.md §5.3), owned by one user of one tenant. */
public record Session(String sessionId, String tenantId, String userId, Mode mode, @Nullable String agentId,
                      String title, Instant createdAt, Instant updatedAt, int messageCount, BigDecimal totalCostUsd) {
}
