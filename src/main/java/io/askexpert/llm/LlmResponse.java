package io.askexpert.llm;

import java.math.BigDecimal;
import java.util.List;

/**
 * A non-streamed turn with the same usage and cost accounting as a streamed one; with
 * {@link StopReason#TOOL_USE}, {@code toolCalls} holds the calls the model made.
 */
public record LlmResponse(String text, Usage usage, StopReason stopReason, String model, String provider,
                          boolean offline, BigDecimal costUsd, List<LlmToolCall> toolCalls) {

    public LlmResponse {
        toolCalls = List.copyOf(toolCalls);
    }

    public LlmResponse withCost(BigDecimal cost) {
        return new LlmResponse(text, usage, stopReason, model, provider, offline, cost, toolCalls);
    }
}
