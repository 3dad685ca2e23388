package io.askexpert.tools;

import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One call of a tool.
 *
 * @param idempotencyKey stable across retries and worker takeovers of the same call
 */
public record ToolInvocation(String callId, String idempotencyKey, String tenantId, String userId,
                             @Nullable UUID missionId, Map<String, @Nullable Object> input) {

    public ToolInvocation {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(userId, "userId");
        input = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(input));
    }
}
