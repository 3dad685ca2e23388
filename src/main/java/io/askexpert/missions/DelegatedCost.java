package io.askexpert.missions;

import io.askexpert.llm.Usage;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a delegated expert's answer spent, as {@code consult_expert} reports it under {@code usage}:
 * its run (whose cost row the answer path wrote), the tokens and the cost. The mission settles the
 * delegation's reservation with it, so the budget, the mission's cost rows and its {@code cost} event
 * count the delegated work, and count it once.
 */
record DelegatedCost(String runId, Usage tokens, BigDecimal costUsd) {

    static final String FIELD = "usage";

    DelegatedCost {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(tokens, "tokens");
        costUsd = costUsd.max(BigDecimal.ZERO);
    }

    /** The {@code usage} field of the tool's output. */
    Map<String, Object> usage() {
        return Map.of("input_tokens", tokens.inputTokens(), "output_tokens", tokens.outputTokens(),
                "cache_read_tokens", tokens.cacheReadTokens(), "cache_write_tokens", tokens.cacheWriteTokens(),
                "cost_usd", costUsd.toPlainString());
    }

    /** What a failed {@code consult_expert} reports with its failure: the same fields as an answer's output. */
    static Map<String, Object> detail(DelegatedCost spent) {
        return Map.of("run_id", spent.runId(), FIELD, spent.usage());
    }

    /** Read back from a {@code consult_expert} output (or a failure's detail); empty when it has no usage (an older record). */
    static Optional<DelegatedCost> of(@Nullable Object output) {
        if (!(output instanceof Map<?, ?> value) || !(value.get("run_id") instanceof String runId)
                || !(value.get(FIELD) instanceof Map<?, ?> u)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new DelegatedCost(runId, new Usage(number(u.get("input_tokens")),
                    number(u.get("output_tokens")), number(u.get("cache_read_tokens")),
                    number(u.get("cache_write_tokens"))), new BigDecimal(String.valueOf(u.get("cost_usd")))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static long number(@Nullable Object o) {
        return o instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(o));
    }
}
