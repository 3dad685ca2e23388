package io.askexpert.missions;

import io.askexpert.llm.LlmToolCall;
import io.askexpert.llm.StopReason;
import io.askexpert.llm.Usage;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/** One completed model turn as recorded under {@code step-<n>/llm-<i>} (or {@code plan}, {@code report/…}). */
record LlmTurn(String text, List<LlmToolCall> toolCalls, StopReason stopReason, String model, Usage usage,
               BigDecimal costUsd) {

    LlmTurn {
        Objects.requireNonNull(text, "text");
        toolCalls = List.copyOf(toolCalls);
    }

    boolean callsTools() {
        return !toolCalls.isEmpty();
    }
}
