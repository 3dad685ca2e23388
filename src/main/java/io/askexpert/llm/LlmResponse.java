package io.askexpert.llm;

import java.math.BigDecimal;

/** A non-streamed answer with the same usage and cost accounting as a streamed one. */
public record LlmResponse(String text, Usage usage, String stopReason, String model, String provider,
                          boolean offline, BigDecimal costUsd) {

    public LlmResponse withCost(BigDecimal cost) {
        return new LlmResponse(text, usage, stopReason, model, provider, offline, cost);
    }
}
