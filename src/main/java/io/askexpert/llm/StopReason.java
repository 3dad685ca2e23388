package io.askexpert.llm;

import java.util.Locale;

/**
 * Why the model stopped, one vocabulary for both providers: Anthropic's {@code stop_reason} and
 * OpenAI's {@code finish_reason} ({@code stop} is {@link #END_TURN}, {@code length}
 * {@link #MAX_TOKENS}, {@code tool_calls} {@link #TOOL_USE}, {@code content_filter} {@link #REFUSAL}).
 */
public enum StopReason {
    /** The answer is complete. */
    END_TURN,
    /** The model asked for tools: run {@code Completed.toolCalls()} and send their results back. */
    TOOL_USE,
    /** Cut at {@code maxTokens}. */
    MAX_TOKENS,
    STOP_SEQUENCE,
    REFUSAL,
    /** Anything else a provider says (Anthropic's {@code pause_turn}, a local server's own value). */
    OTHER;

    public static StopReason fromWire(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "end_turn", "stop" -> END_TURN;
            case "tool_use", "tool_calls", "function_call" -> TOOL_USE;
            case "max_tokens", "length" -> MAX_TOKENS;
            case "stop_sequence" -> STOP_SEQUENCE;
            case "refusal", "content_filter" -> REFUSAL;
            default -> OTHER;
        };
    }

    /** The lower-case name ({@code end_turn}, {@code tool_use}…), for logs and traces. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
