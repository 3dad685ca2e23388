package io.askexpert.tools;

/** The outcome of one call as the registry ran it. */
public sealed interface ToolResult {

    String tool();

    long durationMs();

    record Succeeded(String tool, ToolOutput output, long durationMs) implements ToolResult {
    }

    /** {@code reason} is safe to show the model and the user: no secret, no stack trace. */
    record Failed(String tool, ToolFailure failure, String reason, long durationMs) implements ToolResult {
    }
}
