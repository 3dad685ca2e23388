package io.askexpert.bench;

import org.jspecify.annotations.Nullable;

/**
 * What one stream saw. Times are nanoseconds from the moment the request was sent.
 *
 * @param firstByteNanos  response headers received, or -1
 * @param firstTokenNanos first token frame, or -1
 * @param maxGapNanos     the longest silence between two token frames
 * @param gapsNanos       every gap between consecutive token frames
 * @param tokens          token frames received
 * @param completed       a terminal event arrived
 */
public record StreamResult(long firstByteNanos, long firstTokenNanos, long totalNanos, long maxGapNanos,
                           long[] gapsNanos, int tokens, boolean completed, @Nullable String error) {

    public boolean lostFrames(int expectedTokens) {
        return !completed || expectedTokens > 0 && tokens < expectedTokens;
    }
}
