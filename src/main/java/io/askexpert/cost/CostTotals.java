package io.askexpert.cost;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;

/** Summed usage and cost of a set of calls (a message, a session, a run, a tenant over a period). */
public record CostTotals(@JsonProperty("input_tokens") long inputTokens,
                         @JsonProperty("output_tokens") long outputTokens,
                         @JsonProperty("cache_read_tokens") long cacheReadTokens,
                         @JsonProperty("cache_write_tokens") long cacheWriteTokens,
                         @JsonProperty("cost_usd") BigDecimal costUsd,
                         long calls) {

    public static final CostTotals NONE = new CostTotals(0, 0, 0, 0, BigDecimal.ZERO, 0);

    @JsonProperty("total_tokens")
    public long totalTokens() {
        return inputTokens + outputTokens + cacheReadTokens + cacheWriteTokens;
    }
}
