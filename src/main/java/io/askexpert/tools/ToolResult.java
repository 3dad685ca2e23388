package io.askexpert.tools;

import org.jspecify.annotations.Nullable;

/** The outcome of one call as the registry ran it. */
public sealed interface ToolResult {

    String tool();

    long durationMs();

    record Succeeded(String tool, ToolOutput output, long durationMs) implements ToolResult {
    }

    /**
     * {@code reason} is safe to show the model and the user: no secret, no stack trace. {@code detail}
     * is what the call still reports for its caller though it failed ({@link ToolRefused#detail}).
     */
    record Failed(String tool, ToolFailure failure, String reason, long durationMs, @Nullable Object detail)
            implements ToolResult {

        public Failed(String tool, ToolFailure failure, String reason, long durationMs) {
            this(tool, failure, reason, durationMs, null);
        }
    }
}
