package io.askexpert.tools;

import io.askexpert.llm.LlmTool;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the registry knows of a tool.
 *
 * @param inputSchema an object JSON Schema, sent to the model as the tool's parameters
 * @param costUsd     the fixed price of one call, reserved against the mission's budget
 * @param sideEffects calling it changes something (FF_HITL_STRICT asks a human first)
 * @param external    it reaches outside the service
 */
public record ToolSpec(String name, String description, Map<String, @Nullable Object> inputSchema, Duration timeout,
                       BigDecimal costUsd, boolean sideEffects, boolean external) {

    public ToolSpec {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(costUsd, "costUsd");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("tool " + name + ": the timeout must be positive");
        }
        llmToolOf(name, description, inputSchema); // the same name and schema rules as the providers
        inputSchema = Map.copyOf(inputSchema);
    }

    /** The tool as offered to the model. */
    public LlmTool llmTool() {
        return llmToolOf(name, description, inputSchema);
    }

    private static LlmTool llmToolOf(String name, String description, Map<String, @Nullable Object> schema) {
        return new LlmTool(name, description, schema);
    }
}
