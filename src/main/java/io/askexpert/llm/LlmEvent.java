package io.askexpert.llm;

import java.math.BigDecimal;

/**
 * What a streamed call emits, in order: any number of {@link TextDelta}s, then exactly one of
 * {@link Completed} or {@link Failed}. A failure after the first delta is always a {@code Failed}
 * event, never a silent end.
 */
public sealed interface LlmEvent {

    record TextDelta(String text) implements LlmEvent {
    }

    /** The answer ended normally; {@code costUsd} is {@code usage} priced for {@code model}. */
    record Completed(Usage usage, String stopReason, String model, String provider, boolean offline,
                     BigDecimal costUsd) implements LlmEvent {
    }

    /**
     * The call ended without a complete answer: every provider and the fallback failed, a
     * timeout hit, the stream broke after its first token, or the caller cancelled.
     *
     * @param partialUsage what the provider reported (or the deltas counted) before the end, for billing
     */
    record Failed(LlmFailure failure, boolean beforeFirstToken, Usage partialUsage, String model,
                  String provider) implements LlmEvent {
    }
}
