package io.askexpert.llm;

import java.util.Objects;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outcome of one tool call, sent back to the model: an Anthropic {@code tool_result} block,
 * or an OpenAI {@code tool} message (which has no error flag, so an error's content is prefixed
 * with {@code Error: } there).
 *
 * @param toolCallId the {@link LlmToolCall#id()} it answers
 * @param content    the output: text, or JSON text ({@link #json})
 * @param isError    true when the tool failed; the model sees the content as the reason
 */
public record LlmToolResult(String toolCallId, String content, boolean isError) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public LlmToolResult {
        Objects.requireNonNull(toolCallId, "toolCallId");
        Objects.requireNonNull(content, "content");
    }

    public static LlmToolResult of(String toolCallId, String content) {
        return new LlmToolResult(toolCallId, content, false);
    }

    /** The output as JSON text: a map, list, string or number as Jackson writes it. */
    public static LlmToolResult json(String toolCallId, Object value) {
        return new LlmToolResult(toolCallId, JSON.writeValueAsString(value), false);
    }

    public static LlmToolResult error(String toolCallId, String reason) {
        return new LlmToolResult(toolCallId, reason, true);
    }
}
