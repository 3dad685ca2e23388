package io.askexpert.tools;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One call of a tool.
 *
 * @param idempotencyKey stable across retries and worker takeovers of the same call
 * @param spendLimitUsd  what the mission holds for this call, which a tool whose cost varies must stay
 *                       within ({@link Tool#costBound}); null outside a mission's budget
 */
public record ToolInvocation(String callId, String idempotencyKey, String tenantId, String userId,
                             @Nullable UUID missionId, Map<String, @Nullable Object> input,
                             @Nullable BigDecimal spendLimitUsd) {

    public ToolInvocation {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(userId, "userId");
        input = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(input));
    }

    public ToolInvocation(String callId, String idempotencyKey, String tenantId, String userId,
                          @Nullable UUID missionId, Map<String, @Nullable Object> input) {
        this(callId, idempotencyKey, tenantId, userId, missionId, input, null);
    }

    public ToolInvocation withSpendLimit(BigDecimal limitUsd) {
        return new ToolInvocation(callId, idempotencyKey, tenantId, userId, missionId, input, limitUsd);
    }
}
