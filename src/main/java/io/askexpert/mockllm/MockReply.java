package io.askexpert.mockllm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the mock answers a request with: the configured filler text (the default, which the
 * benchmark measures) or a scripted assistant turn of text and tool calls, in either wire format.
 */
public sealed interface MockReply {

    /** {@code answerTokens} words of regulatory-sounding filler, cut short by the request's {@code max_tokens}. */
    record Filler() implements MockReply {
    }

    /**
     * A scripted turn: {@code text} streamed word by word (may be empty), then each tool call with
     * its input streamed in small fragments. The stop reason is {@code tool_use} ({@code tool_calls})
     * when there are tool calls, else {@code end_turn} ({@code stop}). Never cut by {@code max_tokens}.
     */
    record Scripted(String text, List<ToolCall> toolCalls) implements MockReply {
        public Scripted {
            Objects.requireNonNull(text, "text");
            toolCalls = List.copyOf(toolCalls);
            if (text.isEmpty() && toolCalls.isEmpty()) {
                throw new IllegalArgumentException("a scripted reply needs text or at least one tool call");
            }
        }
    }

    /**
     * One tool call of a scripted turn.
     *
     * @param id    the call's id on the wire; null lets the mock make one ({@code toolu_mock_…}, {@code call_mock_…})
     * @param input the tool's arguments, a JSON object
     */
    record ToolCall(@Nullable String id, String name, Map<String, @Nullable Object> input) {
        public ToolCall {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("a tool call needs a name");
            }
            input = Collections.unmodifiableMap(new LinkedHashMap<>(input));
        }
    }

    static MockReply text(String text) {
        return new Scripted(text, List.of());
    }

    static MockReply toolCall(String name, Map<String, @Nullable Object> input) {
        return new Scripted("", List.of(call(name, input)));
    }

    static MockReply toolCalls(ToolCall... calls) {
        return new Scripted("", List.of(calls));
    }

    static MockReply textThenToolCalls(String text, ToolCall... calls) {
        return new Scripted(text, List.of(calls));
    }

    static ToolCall call(String name, Map<String, @Nullable Object> input) {
        return new ToolCall(null, name, input);
    }
}
