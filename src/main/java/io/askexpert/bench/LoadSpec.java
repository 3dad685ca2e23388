package io.askexpert.bench;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one load run does: {@code streams} concurrent SSE requests, each opened once (a run of
 * N streams holds N connections at the same time), for at most {@code timeout}.
 *
 * @param tokenEvents   SSE event names that carry answer tokens ({@code token} for the service,
 *                      {@code content_block_delta} for Anthropic, empty name for OpenAI's unnamed events)
 * @param terminalEvents event names (or {@code [DONE]} data) that end a stream normally
 * @param expectedTokens frames each stream should carry, or 0 when unknown; a stream with fewer lost frames
 * @param rampUp        spread the stream starts over this long, so connection setup is not one burst
 * @param rounds        requests each stream makes one after another; at low concurrency one request
 *                      per run would give a single sample, too few for a percentile
 */
public record LoadSpec(URI url, String body, Map<String, String> headers, int streams, Duration timeout,
                       List<String> tokenEvents, List<String> terminalEvents, int expectedTokens, Duration rampUp,
                       int rounds) {

    public LoadSpec {
        Objects.requireNonNull(url, "url");
        headers = Map.copyOf(headers);
        tokenEvents = List.copyOf(tokenEvents);
        terminalEvents = List.copyOf(terminalEvents);
        if (streams < 1) {
            throw new IllegalArgumentException("streams must be >= 1, got " + streams);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1, got " + rounds);
        }
        if (expectedTokens < 0) {
            throw new IllegalArgumentException("expectedTokens must be >= 0");
        }
    }

    public LoadSpec withRampUp(Duration newRampUp) {
        return new LoadSpec(url, body, headers, streams, timeout, tokenEvents, terminalEvents, expectedTokens, newRampUp,
                rounds);
    }

    public LoadSpec withRounds(int newRounds) {
        return new LoadSpec(url, body, headers, streams, timeout, tokenEvents, terminalEvents, expectedTokens, rampUp,
                newRounds);
    }
}
