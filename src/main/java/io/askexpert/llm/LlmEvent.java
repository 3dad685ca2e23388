package io.askexpert.llm;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * What a streamed call emits, in order: any number of {@link TextDelta}s and
 * {@link ToolCallRequested}s, then exactly one {@link Terminal}: {@link Completed} or
 * {@link Failed}. A failure after the first delta is always a {@code Failed} event, never a silent end.
 */
public sealed interface LlmEvent {

    record TextDelta(String text) implements LlmEvent {
    }

    /**
     * The model called a tool and its whole input has arrived (Anthropic: the {@code tool_use}
     * block closed; OpenAI: the next call started or the choice finished). A notice for display:
     * run the calls of {@link Completed#toolCalls()} once the turn completed, since a turn that
     * ends {@code Failed} must not have its calls run.
     */
    record ToolCallRequested(LlmToolCall call) implements LlmEvent {
    }

    /** The one event that ends a call. */
    sealed interface Terminal extends LlmEvent permits Completed, Failed {
    }

    /**
     * The turn ended normally; {@code costUsd} is {@code usage} priced for {@code model}. With
     * {@link StopReason#TOOL_USE}, {@code toolCalls} holds the turn's calls in order: send
     * {@link LlmMessage#toolCalls} and {@link LlmMessage#toolResults} back for the next turn.
     */
    record Completed(Usage usage, StopReason stopReason, String model, String provider, boolean offline,
                     BigDecimal costUsd, List<LlmToolCall> toolCalls) implements Terminal {

        public Completed {
            Objects.requireNonNull(stopReason, "stopReason");
            toolCalls = List.copyOf(toolCalls);
        }

        /** A text turn, with the stop reason in either provider's words ({@code end_turn}, {@code stop}…). */
        public Completed(Usage usage, String stopReason, String model, String provider, boolean offline,
                         BigDecimal costUsd) {
            this(usage, StopReason.fromWire(stopReason), model, provider, offline, costUsd, List.of());
        }
    }

    /**
     * The call ended without a complete turn: every provider and the fallback failed, a timeout
     * hit, the stream broke after its first token (or tool-call fragment), or the caller cancelled.
     *
     * @param beforeFirstToken true when nothing had streamed yet: no text, no tool-call fragment
     * @param partialUsage     what the provider reported (or the deltas counted) before the end, for billing
     */
    record Failed(LlmFailure failure, boolean beforeFirstToken, Usage partialUsage, String model,
                  String provider) implements Terminal {
    }
}
