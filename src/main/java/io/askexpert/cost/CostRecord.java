package io.askexpert.cost;

import io.askexpert.llm.LlmEvent;
import io.askexpert.llm.Usage;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One priced LLM call to record, with what it belongs to (the user is null for calls made on
 * no user's behalf). A cancelled or failed call is recorded
 * too, with its partial usage: the provider billed it.
 */
public record CostRecord(String tenantId, @Nullable String userId, @Nullable String sessionId, @Nullable String messageId,
                         @Nullable String runId, @Nullable String missionId, String model, String provider,
                         Outcome outcome, Usage usage, BigDecimal costUsd) {

    public enum Outcome { COMPLETED, FAILED, CANCELLED;

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public CostRecord {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(usage, "usage");
        if (costUsd.signum() < 0) {
            throw new IllegalArgumentException("costUsd cannot be negative");
        }
    }

    /** A completed call's usage and cost, as the gateway reported them. */
    public static CostRecord of(String tenantId, @Nullable String userId, @Nullable String sessionId,
                                @Nullable String messageId, @Nullable String runId, LlmEvent.Completed completed) {
        return new CostRecord(tenantId, userId, sessionId, messageId, runId, null, completed.model(), completed.provider(),
                Outcome.COMPLETED, completed.usage(), completed.costUsd());
    }

    /** A failed or cancelled call's partial usage, priced by the caller ({@code LlmGateway.cost}). */
    public static CostRecord of(String tenantId, @Nullable String userId, @Nullable String sessionId,
                                @Nullable String messageId, @Nullable String runId, LlmEvent.Failed failed,
                                BigDecimal partialCost) {
        Outcome outcome = failed.failure().kind() == io.askexpert.llm.LlmFailure.Kind.CANCELLED
                ? Outcome.CANCELLED : Outcome.FAILED;
        return new CostRecord(tenantId, userId, sessionId, messageId, runId, null, failed.model(), failed.provider(),
                outcome, failed.partialUsage(), partialCost);
    }
}
