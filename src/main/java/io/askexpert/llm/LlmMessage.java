package io.askexpert.llm;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One conversation turn sent to the model: text from the user or the assistant, an assistant turn
 * that called tools, or the results of those calls. A tool loop appends, after each
 * {@code Completed} with {@link StopReason#TOOL_USE}, {@link #toolCalls} with the turn's text and
 * calls, then {@link #toolResults} answering every one of them, and calls the model again.
 */
public sealed interface LlmMessage {

    enum Role { USER, ASSISTANT;

        public String wire() {
            return this == USER ? "user" : "assistant";
        }
    }

    /** Who speaks: tool calls are the assistant's, tool results come from the user's side. */
    Role role();

    /** The words of the turn: its text, or the tool results' contents. */
    String text();

    /** Plain text. */
    record Text(Role role, String content) implements LlmMessage {
        public Text {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(content, "content");
        }

        @Override
        public String text() {
            return content;
        }
    }

    /** An assistant turn that called tools, after any text it streamed first (may be empty). */
    record ToolCalls(String text, List<LlmToolCall> calls) implements LlmMessage {
        public ToolCalls {
            Objects.requireNonNull(text, "text");
            calls = List.copyOf(calls);
            if (calls.isEmpty()) {
                throw new IllegalArgumentException("a tool-calls turn needs at least one call");
            }
        }

        @Override
        public Role role() {
            return Role.ASSISTANT;
        }
    }

    /** The results of the previous turn's tool calls, one per call. */
    record ToolResults(List<LlmToolResult> results) implements LlmMessage {
        public ToolResults {
            results = List.copyOf(results);
            if (results.isEmpty()) {
                throw new IllegalArgumentException("a tool-results turn needs at least one result");
            }
        }

        @Override
        public Role role() {
            return Role.USER;
        }

        @Override
        public String text() {
            return results.stream().map(LlmToolResult::content).collect(Collectors.joining("\n"));
        }

        /** Results must answer exactly the calls of the turn before them, each once. */
        void checkAnswers(ToolCalls turn) {
            Set<String> asked = turn.calls().stream().map(LlmToolCall::id).collect(Collectors.toSet());
            Set<String> answered = new HashSet<>();
            for (LlmToolResult r : results) {
                if (!asked.contains(r.toolCallId()) || !answered.add(r.toolCallId())) {
                    throw new IllegalArgumentException("tool result for '" + r.toolCallId()
                            + "' answers no call of the turn before it, or answers one twice");
                }
            }
            if (!answered.equals(asked)) {
                throw new IllegalArgumentException("every tool call of a turn needs a result; missing "
                        + asked.stream().filter(id -> !answered.contains(id)).sorted().toList());
            }
        }
    }

    static Text user(String content) {
        return new Text(Role.USER, content);
    }

    static Text assistant(String content) {
        return new Text(Role.ASSISTANT, content);
    }

    static Text text(Role role, String content) {
        return new Text(role, content);
    }

    static ToolCalls toolCalls(String text, List<LlmToolCall> calls) {
        return new ToolCalls(text, calls);
    }

    static ToolResults toolResults(List<LlmToolResult> results) {
        return new ToolResults(results);
    }

    static ToolResults toolResults(LlmToolResult... results) {
        return new ToolResults(List.of(results));
    }
}
